#include "store/JobStore.h"

#include "store/JobStoreWorker.h"

JobStore::JobStore(const DbUrl &url, QObject *parent) : JobStore(url, Options{}, parent) {}

JobStore::JobStore(const DbUrl &url, Options options, QObject *parent)
    : QObject(parent), m_url(url), m_worker(std::make_unique<JobStoreWorker>(url, options))
{}

JobStore::~JobStore() = default;

QFuture<void> JobStore::open()
{
    return m_worker->open();
}

QFuture<StoreSnapshot> JobStore::loadSnapshot()
{
    return m_worker->loadSnapshot();
}

QFuture<QList<SwitchRecord>> JobStore::switchHistory(const QString &jobId, qint64 beforeId,
                                                     int limit)
{
    return m_worker->switchHistory(jobId, beforeId, limit);
}

QFuture<QHash<QString, QString>> JobStore::readJobBackends()
{
    return m_worker->readJobBackends();
}

QFuture<void> JobStore::setBackendState(const QString &backendId, const QString &state)
{
    return m_worker->setBackendState(backendId, state);
}

QFuture<PersistResults> JobStore::persist(QList<PersistWrite> writes)
{
    return m_worker->persist(std::move(writes));
}

JobStore::Stats JobStore::stats() const
{
    return m_worker->stats();
}
