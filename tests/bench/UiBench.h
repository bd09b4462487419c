#pragma once

#include <QStringList>

/// `stickyboard-bench ui …`: the real window, offscreen, under load; prints one JSON line
/// with frame-time and event-to-screen percentiles and peak RSS. Returns the exit code.
int runUiBench(const QStringList &args);
