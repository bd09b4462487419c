#include "util/Logging.h"

Q_LOGGING_CATEGORY(lcTracker, "stickyboard.tracker", QtInfoMsg)
Q_LOGGING_CATEGORY(lcStore, "stickyboard.store", QtInfoMsg)
Q_LOGGING_CATEGORY(lcFaults, "stickyboard.faults", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSim, "stickyboard.sim", QtInfoMsg)
Q_LOGGING_CATEGORY(lcSources, "stickyboard.sources", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "stickyboard.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcWatch, "stickyboard.watch", QtInfoMsg)
