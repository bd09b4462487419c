#pragma once

#include <QFuture>
#include <QList>
#include <QString>

/// One backend write for one job: `jobs.last_backend_id = toBackend` plus its switch row.
struct PersistWrite {
    QString jobId;
    QString workerId;    ///< empty when unknown
    QString fromBackend; ///< null for the job's first resolution
    QString toBackend;
    QString cacheKey; ///< null = cache miss
    qint64 atMs = 0;  ///< wall clock, ms since the epoch
};

/// How one write ended. `error` is a sentence a person can act on.
struct PersistOutcome {
    bool ok = false;
    QString error;
};

/// Outcomes in the order of the writes handed to persist().
using PersistResults = QList<PersistOutcome>;

/// The seam between the tracker and the database. Implemented by the store and by the
/// fault injector that wraps it. The future settles only when every write in the call has
/// succeeded (its transaction is durable) or failed.
class PersistTarget {
public:
    virtual ~PersistTarget() = default;
    virtual QFuture<PersistResults> persist(QList<PersistWrite> writes) = 0;
};
