#pragma once

#include "store/JobStore.h"
#include "store/StoreConnection.h"
#include "store/StoreError.h"

#include <QMutex>
#include <QPromise>
#include <QWaitCondition>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>

class GroupCommit;
class QThread;
class SwitchWriter;

/*!
 * The store's SQL thread. Owns the one connection (created, used and removed on that
 * thread) and two queues guarded by one mutex: tasks (open, reads, small updates) run one
 * by one in submission order; persist batches are drained together (up to
 * GroupCommit::MaxWrites writes) into one transaction (group commit) whenever a write is the
 * oldest item waiting. GroupCommit keeps one refused row from failing the others.
 */
class JobStoreWorker {
public:
    JobStoreWorker(const DbUrl &url, const JobStore::Options &options);
    /// Runs everything queued, closes the connection and joins the thread.
    ~JobStoreWorker();

    QFuture<void> open();
    QFuture<StoreSnapshot> loadSnapshot();
    QFuture<QList<SwitchRecord>> switchHistory(const QString &jobId, qint64 beforeId, int limit);
    QFuture<QHash<QString, QString>> readJobBackends();
    QFuture<void> setBackendState(const QString &backendId, const QString &state);
    QFuture<PersistResults> persist(QList<PersistWrite> writes);

    JobStore::Stats stats() const;

private:
    struct Task {
        quint64 seq;
        std::function<void()> run;
    };
    struct Batch {
        quint64 seq;
        QList<PersistWrite> writes;
        QPromise<PersistResults> promise;
    };

    /// Queues `body` (bool(QString *error) for void, std::optional<T>(QString *error)
    /// otherwise) and returns a future that carries its result or a StoreError.
    template <typename T, typename Body> QFuture<T> post(Body body);
    void enqueue(std::function<void()> run);

    // Store thread only.
    void run();
    void commitGroup(std::deque<Batch> batches);
    bool openNow(QString *error);
    /// Opens lazily, and reconnects when the last statement failed and the connection no
    /// longer answers (PostgreSQL restarted).
    bool ensureConnected(QString *error);
    /// Opens the connection and, for PostgreSQL, learns its backend's pid.
    bool connectNow(QString *error);
    void closeConnection();
    /// Turns a failed read into a sentence and marks the connection for a check.
    void readFailed(const QString &what, QString *error);

    const DbUrl m_url;
    const JobStore::Options m_options;
    const StoreConnection::Settings m_settings;
    const QString m_connectionName;

    mutable QMutex m_mutex;
    QWaitCondition m_wake;
    std::deque<Task> m_tasks;
    std::deque<Batch> m_batches;
    quint64 m_nextSeq = 0;
    bool m_stopping = false;

    std::atomic<quint64> m_transactions{0};
    std::atomic<quint64> m_writes{0};
    std::atomic<quint64> m_largestGroup{0};

    // Store thread only.
    std::unique_ptr<SwitchWriter> m_writer;
    std::unique_ptr<GroupCommit> m_commit;
    qint64 m_backendPid = 0;  ///< PostgreSQL server process of the connection
    bool m_connected = false; ///< the connection exists
    bool m_opened = false;    ///< open() succeeded once: schema is ours
    bool m_suspect = false;   ///< the last transaction failed: check the connection first

    std::unique_ptr<QThread> m_thread;
};

template <typename T, typename Body> QFuture<T> JobStoreWorker::post(Body body)
{
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    enqueue([promise, body = std::move(body)]() mutable {
        QString error;
        if constexpr (std::is_void_v<T>) {
            if (!body(&error))
                promise->setException(StoreError(error));
        } else {
            auto result = body(&error);
            if (result)
                promise->addResult(std::move(*result));
            else
                promise->setException(StoreError(error));
        }
        promise->finish();
    });
    return future;
}
