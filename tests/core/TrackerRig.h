#pragma once

// Shared by the model tests: the tracker on a real in-memory store, with the fault injector
// on its persist seam, opened and ready.

#include "faults/FaultInjector.h"
#include "store/DbUrl.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QTest>

struct TrackerRig {
    static DbUrl memoryUrl()
    {
        QString error;
        return *DbUrl::parse(QStringLiteral("sqlite::memory:"), &error);
    }

    JobStore store{memoryUrl()};
    FaultInjector faults{&store};
    TrackerTable tracker{&faults};

    TrackerRig()
    {
        auto open = store.open();
        open.waitForFinished();
    }
    /// Hands queued writes out now and waits (bounded) until every one has settled.
    bool settle()
    {
        tracker.flush();
        return QTest::qWaitFor([this] { return tracker.writesInFlight() == 0; }, 10'000);
    }
};
