#pragma once

#include "store/DbUrl.h"
#include "tracker/PersistTarget.h"

#include <QDateTime>
#include <QFuture>
#include <QHash>
#include <QObject>

#include <memory>

/// What the database holds at start: the trackers' initial values.
struct StoreSnapshot {
    struct Job {
        QString id;
        QString worker; ///< may be null
        QString status;
        QString backend; ///< last_backend_id; null when never resolved
    };
    struct Worker {
        QString id;
        QString name;
    };
    struct Backend {
        QString id;
        QString name;
        QString state; ///< online | saturated | offline
    };
    QList<Job> jobs;
    QList<Worker> workers;
    QList<Backend> backends;
};

/// One row of `backend_switches`.
struct SwitchRecord {
    qint64 id = 0;
    QString jobId;
    QString fromBackend; ///< null for a first resolution
    QString toBackend;
    QString cacheKey; ///< null = miss
    QDateTime at;
    /// Empty: a row of `backend_switches`. Watch mode's history (HistoryStore::timeline):
    /// "table" (the row's value changed), "observed" (the gateway served it elsewhere),
    /// "stale" (the table lagged past the grace), "recovered" (it caught up after
    /// `durationMs`).
    QString kind;
    qint64 durationMs = 0;
};

class JobStoreWorker;

/*!
 * The jobs database behind an asynchronous API. All SQL runs on one dedicated thread with
 * its own named connection; no call blocks the caller. Writes that queue up while a
 * transaction runs are committed together in the next one (group commit, at most
 * GroupCommit::MaxWrites per transaction), and each write's future settles only when its
 * own transaction committed or failed. A row the database refuses fails only its own write
 * (see GroupCommit); ids that break the id rule (util/IdCheck.h) fail before any SQL.
 * Failures carry a StoreError whose message names the problem and the URL without password.
 */
class JobStore : public QObject, public PersistTarget {
    Q_OBJECT
public:
    static constexpr int SchemaVersion = 2;

    struct Options {
        int busyTimeoutMs = 5000; ///< SQLite: how long a write waits for another writer's lock
        int connectTimeoutS = 5;  ///< PostgreSQL connect_timeout
        /// PostgreSQL: a schema (plain lower-case name) to create and use instead of the
        /// search_path default, e.g. one per test or per Stickyboard installation.
        QString pgSchema;
    };

    struct Stats {
        quint64 transactions = 0; ///< committed or rolled back write transactions
        quint64 writes = 0;       ///< writes handled (succeeded + failed)
        quint64 largestGroup = 0; ///< most writes committed in one transaction
    };

    explicit JobStore(const DbUrl &url, QObject *parent = nullptr);
    JobStore(const DbUrl &url, Options options, QObject *parent = nullptr);
    /// Finishes queued work, closes the connection and stops the thread.
    ~JobStore() override;

    const DbUrl &url() const { return m_url; }

    /// Connects, then creates or migrates the schema. Refuses a newer schema than ours.
    QFuture<void> open();
    QFuture<StoreSnapshot> loadSnapshot();
    /// Switch rows of one job, newest first; `beforeId` 0 = from the newest; paged by `limit`.
    QFuture<QList<SwitchRecord>> switchHistory(const QString &jobId, qint64 beforeId = 0,
                                               int limit = 100);
    /// job id -> last_backend_id (null when unset), for reports and checks.
    QFuture<QHash<QString, QString>> readJobBackends();
    /// Records a backend's state (online | saturated | offline), inserting the row if new.
    QFuture<void> setBackendState(const QString &backendId, const QString &state);

    /// Group-committed backend writes: jobs.last_backend_id and a backend_switches row per
    /// write, in one transaction. Jobs, workers and backends rows are created when missing.
    QFuture<PersistResults> persist(QList<PersistWrite> writes) override;

    /// Thread-safe counters, to show group commit at work.
    Stats stats() const;

private:
    DbUrl m_url;
    std::unique_ptr<JobStoreWorker> m_worker;
};
