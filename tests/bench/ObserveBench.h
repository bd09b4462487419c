#pragma once

#include <QStringList>

/// `stickyboard-bench observe …`: watch mode over a PostgreSQL (or SQLite) jobs table with
/// the real window offscreen, fed by a followed gateway log (`--observe`) at a steady rate;
/// prints observation-to-screen latency, observations applied, CPU, peak RSS and frame
/// times, one line each, then one JSON line. Returns the exit code (2: bad options, 3: the
/// database or the window could not be set up).
int runObserveBench(const QStringList &args);
