#pragma once

#include <QStringList>

/// `stickyboard-bench soak`: a long steady load with failing writes, RSS once a minute.
int runSoakBench(const QStringList &args);
