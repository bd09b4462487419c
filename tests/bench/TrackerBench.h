#pragma once

#include <QStringList>

/// `stickyboard-bench tracker …`: the persistence workload through the real tracker,
/// injector and store; prints one JSON line. Returns the process exit code.
int runTrackerBench(const QStringList &args);
