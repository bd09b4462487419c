#pragma once

#include "tracker/PersistTarget.h"

#include <QFuture>

/// Watch mode's persist seam: nothing may write to an operator's database, so any write
/// that reaches it fails with a reason. The tracker in watch mode makes none by design
/// (values arrive through TrackerTable::observePersisted()); this is the guard that keeps it so.
class ReadOnlyTarget : public PersistTarget {
public:
    QFuture<PersistResults> persist(QList<PersistWrite> writes) override
    {
        PersistResults results(writes.size(),
                               PersistOutcome{false, QStringLiteral("watch mode is read-only: "
                                                                    "nothing is written")});
        return QtFuture::makeReadyFuture(results);
    }
};
