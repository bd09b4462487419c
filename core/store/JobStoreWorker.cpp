#include "store/JobStoreWorker.h"

#include "store/GroupCommit.h"
#include "store/StoreReads.h"
#include "store/SwitchWriter.h"
#include "util/Logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

QString uniqueConnectionName()
{
    static std::atomic<int> counter{0};
    return u"stickyboard-store-%1"_s.arg(++counter);
}

} // namespace

JobStoreWorker::JobStoreWorker(const DbUrl &url, const JobStore::Options &options)
    : m_url(url), m_options(options), m_settings{url, options.busyTimeoutMs,
                                                 options.connectTimeoutS, options.pgSchema},
      m_connectionName(uniqueConnectionName()),
      m_writer(std::make_unique<SwitchWriter>(m_connectionName))
{
    GroupCommit::Hooks hooks;
    hooks.reconnect = [this](QString *error) {
        m_suspect = true; // the caller saw a failure: check the connection before use
        return ensureConnected(error);
    };
    hooks.backendPid = [this] { return m_backendPid; };
    m_commit = std::make_unique<GroupCommit>(m_connectionName, m_url, m_options.busyTimeoutMs,
                                             m_writer.get(), std::move(hooks));
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(u"stickyboard-store"_s);
    m_thread->start();
}

JobStoreWorker::~JobStoreWorker()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
    }
    m_wake.wakeAll();
    m_thread->wait();
}

void JobStoreWorker::enqueue(std::function<void()> run)
{
    QMutexLocker lock(&m_mutex);
    m_tasks.push_back({m_nextSeq++, std::move(run)});
    m_wake.wakeOne();
}

QFuture<PersistResults> JobStoreWorker::persist(QList<PersistWrite> writes)
{
    if (writes.isEmpty())
        return QtFuture::makeReadyFuture(PersistResults{});
    Batch batch{0, std::move(writes), {}};
    QFuture<PersistResults> future = batch.promise.future();
    batch.promise.start();
    QMutexLocker lock(&m_mutex);
    batch.seq = m_nextSeq++;
    m_batches.push_back(std::move(batch));
    m_wake.wakeOne();
    return future;
}

void JobStoreWorker::run()
{
    for (;;) {
        std::function<void()> task;
        std::deque<Batch> group;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_stopping && m_tasks.empty() && m_batches.empty())
                m_wake.wait(&m_mutex);
            if (m_tasks.empty() && m_batches.empty())
                break; // stopping, and everything queued is done
            // Writes go in one transaction whenever one is the oldest item: a read queued
            // after a write sees it, and writes queued later only make the read fresher.
            // A bounded group: what queues up meanwhile goes in the next transaction.
            if (!m_batches.empty() &&
                (m_tasks.empty() || m_batches.front().seq < m_tasks.front().seq)) {
                qsizetype writes = 0;
                while (!m_batches.empty() && writes < GroupCommit::MaxWrites &&
                       (writes == 0 ||
                        writes + m_batches.front().writes.size() <= GroupCommit::MaxWrites)) {
                    writes += m_batches.front().writes.size();
                    group.push_back(std::move(m_batches.front()));
                    m_batches.pop_front();
                }
            } else {
                task = std::move(m_tasks.front().run);
                m_tasks.pop_front();
            }
        }
        if (!group.empty())
            commitGroup(std::move(group));
        else
            task();
    }
    closeConnection();
}

void JobStoreWorker::commitGroup(std::deque<Batch> batches)
{
    QList<const PersistWrite *> writes;
    for (const Batch &b : batches)
        for (const PersistWrite &w : b.writes)
            writes.append(&w);

    QString error;
    PersistResults outcomes;
    if (ensureConnected(&error)) {
        GroupCommit::Counters &counters = m_commit->counters();
        const quint64 before = counters.transactions;
        outcomes = m_commit->commit(writes);
        m_transactions += counters.transactions - before;
        quint64 largest = m_largestGroup.load();
        while (counters.largest > largest &&
               !m_largestGroup.compare_exchange_weak(largest, counters.largest)) {
        }
        // A failed statement may mean a dead connection: ping before the next use.
        m_suspect = std::any_of(outcomes.cbegin(), outcomes.cend(),
                                [](const PersistOutcome &o) { return !o.ok; });
    } else {
        error = u"could not write %1 backend change(s) to %2: %3"_s.arg(writes.size())
                    .arg(m_url.redacted(), error);
        qCWarning(lcStore).noquote() << error;
        outcomes = PersistResults(writes.size(), PersistOutcome{false, error});
        m_suspect = true;
        ++m_transactions;
    }
    m_writes += quint64(writes.size());

    qsizetype at = 0;
    for (Batch &b : batches) {
        b.promise.addResult(outcomes.mid(at, b.writes.size()));
        at += b.writes.size();
        b.promise.finish();
    }
}

bool JobStoreWorker::connectNow(QString *error)
{
    if (!StoreConnection::open(m_connectionName, m_settings, error))
        return false;
    m_connected = true;
    m_suspect = false;
    m_backendPid = 0;
    if (StoreConnection::dialectOf(m_url) == Dialect::Postgres) {
        QSqlQuery q(QSqlDatabase::database(m_connectionName, false));
        if (q.exec(u"SELECT pg_backend_pid()"_s) && q.next())
            m_backendPid = q.value(0).toLongLong();
    }
    return true;
}

bool JobStoreWorker::openNow(QString *error)
{
    if (!m_connected && !connectNow(error))
        return false;
    if (!m_opened) {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        const QString problem =
            Schema::migrate(db, StoreConnection::dialectOf(m_url), JobStore::SchemaVersion);
        if (!problem.isEmpty()) {
            *error = u"%1 (%2)"_s.arg(problem, m_url.redacted());
            return false;
        }
        m_opened = true;
    }
    return true;
}

bool JobStoreWorker::ensureConnected(QString *error)
{
    if (!m_opened)
        return openNow(error);
    // An in-memory database lives in its connection: never drop it.
    if (m_suspect && m_connected && !m_url.inMemory && !StoreConnection::ping(m_connectionName)) {
        qCWarning(lcStore).noquote() << "connection to" << m_url.redacted() << "lost; reconnecting";
        closeConnection();
    }
    if (!m_connected && !connectNow(error))
        return false;
    return true;
}

void JobStoreWorker::closeConnection()
{
    m_writer->reset(); // its prepared queries must go before the connection
    if (m_connected)
        StoreConnection::close(m_connectionName);
    m_connected = false;
}

void JobStoreWorker::readFailed(const QString &what, QString *error)
{
    *error = u"cannot %1 in %2: %3"_s.arg(what, m_url.redacted(), *error);
    m_suspect = true;
}

QFuture<void> JobStoreWorker::open()
{
    return post<void>([this](QString *error) { return openNow(error); });
}

QFuture<StoreSnapshot> JobStoreWorker::loadSnapshot()
{
    return post<StoreSnapshot>([this](QString *error) -> std::optional<StoreSnapshot> {
        if (!ensureConnected(error))
            return std::nullopt;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        auto result = StoreReads::snapshot(db, error);
        if (!result)
            readFailed(u"read the jobs"_s, error);
        return result;
    });
}

QFuture<QList<SwitchRecord>> JobStoreWorker::switchHistory(const QString &jobId, qint64 beforeId,
                                                           int limit)
{
    using Result = QList<SwitchRecord>;
    return post<Result>([=, this](QString *error) -> std::optional<Result> {
        if (!ensureConnected(error))
            return std::nullopt;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        auto result = StoreReads::switchHistory(db, jobId, beforeId, limit, error);
        if (!result)
            readFailed(u"read the switch history"_s, error);
        return result;
    });
}

QFuture<QHash<QString, QString>> JobStoreWorker::readJobBackends()
{
    using Result = QHash<QString, QString>;
    return post<Result>([this](QString *error) -> std::optional<Result> {
        if (!ensureConnected(error))
            return std::nullopt;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        auto result = StoreReads::jobBackends(db, error);
        if (!result)
            readFailed(u"read the jobs"_s, error);
        return result;
    });
}

QFuture<void> JobStoreWorker::setBackendState(const QString &backendId, const QString &state)
{
    return post<void>([=, this](QString *error) {
        if (!ensureConnected(error))
            return false;
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (!StoreReads::setBackendState(db, backendId, state, error)) {
            readFailed(u"set the state of backend '%1'"_s.arg(backendId), error);
            return false;
        }
        m_writer->markBackendKnown(backendId);
        return true;
    });
}

JobStore::Stats JobStoreWorker::stats() const
{
    return {m_transactions.load(), m_writes.load(), m_largestGroup.load()};
}
