#pragma once

#include <QLoggingCategory>

// Switch with QT_LOGGING_RULES, e.g. "stickyboard.tracker.info=false".
Q_DECLARE_LOGGING_CATEGORY(lcTracker)
Q_DECLARE_LOGGING_CATEGORY(lcStore)
Q_DECLARE_LOGGING_CATEGORY(lcFaults)
Q_DECLARE_LOGGING_CATEGORY(lcSim)
Q_DECLARE_LOGGING_CATEGORY(lcSources)
Q_DECLARE_LOGGING_CATEGORY(lcHttp)
