#pragma once

// The core models, made known to QML tooling (qmllint, the compiler) as the types of the
// singletons' properties. They are created in C++, never in QML.
#include "models/ActivityHistory.h"
#include "models/BackendModel.h"
#include "models/EventLogFilter.h"
#include "models/JobFilterModel.h"
#include "models/SwitchHistoryModel.h"

#include <QtQml/qqml.h>

struct ActivityHistoryForeign {
    Q_GADGET
    QML_FOREIGN(ActivityHistory)
    QML_ANONYMOUS
};

struct BackendModelForeign {
    Q_GADGET
    QML_FOREIGN(BackendModel)
    QML_ANONYMOUS
};

struct EventLogFilterForeign {
    Q_GADGET
    QML_FOREIGN(EventLogFilter)
    QML_ANONYMOUS
};

struct JobFilterModelForeign {
    Q_GADGET
    QML_FOREIGN(JobFilterModel)
    QML_ANONYMOUS
};

struct SwitchHistoryModelForeign {
    Q_GADGET
    QML_FOREIGN(SwitchHistoryModel)
    QML_ANONYMOUS
};
