#include "store/JobStoreWorker.h"

#include "store/StoreReads.h"
#include "store/SwitchWriter.h"
#include "util/Logging.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

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
            if (!m_batches.empty() &&
                (m_tasks.empty() || m_batches.front().seq < m_tasks.front().seq)) {
                group.swap(m_batches);
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
    bool ok = ensureConnected(&error);
    if (ok) {
        QSqlQuery tx(QSqlDatabase::database(m_connectionName, false));
        const Dialect dialect = StoreConnection::dialectOf(m_url);
        const bool began = Schema::begin(tx, dialect);
        if (!began)
            error = StoreConnection::describe(tx.lastError(), m_url);
        QSqlError statementError;
        ok = began && m_writer->write(writes, &statementError);
        if (began && !ok)
            error = StoreConnection::describe(statementError, m_url);
        if (ok && !tx.exec(u"COMMIT"_s)) {
            error = StoreConnection::describe(tx.lastError(), m_url);
            ok = false;
        }
        if (!ok && began)
            Schema::rollback(tx);
        if (!ok && dialect == Dialect::Sqlite && error.contains(u"locked"))
            error += u" (another connection held the write lock longer than the busy timeout "
                     "of %1 ms)"_s.arg(m_options.busyTimeoutMs);
        if (!ok) {
            error = u"could not write %1 backend change(s) to %2: %3"_s.arg(writes.size())
                        .arg(m_url.redacted(), error);
        }
    }
    if (ok) {
        m_writer->committed();
        m_suspect = false;
        quint64 largest = m_largestGroup.load();
        const auto size = quint64(writes.size());
        while (size > largest && !m_largestGroup.compare_exchange_weak(largest, size)) {
        }
    } else {
        m_writer->rolledBack();
        m_suspect = true;
        qCWarning(lcStore).noquote() << error;
    }
    ++m_transactions;
    m_writes += quint64(writes.size());

    for (Batch &b : batches) {
        b.promise.addResult(PersistResults(b.writes.size(), PersistOutcome{ok, error}));
        b.promise.finish();
    }
}

bool JobStoreWorker::openNow(QString *error)
{
    if (!m_connected) {
        if (!StoreConnection::open(m_connectionName, m_settings, error))
            return false;
        m_connected = true;
        m_suspect = false;
    }
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
    if (!m_connected) {
        if (!StoreConnection::open(m_connectionName, m_settings, error))
            return false;
        m_connected = true;
        m_suspect = false;
    }
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
