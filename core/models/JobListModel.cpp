#include "models/JobListModel.h"

#include "models/ChangeFeed.h"
#include "tracker/TrackerTable.h"

#include <algorithm>

JobListModel::JobListModel(ChangeFeed *feed, QObject *parent)
    : QAbstractListModel(parent), m_tracker(feed->tracker()), m_rows(int(m_tracker->jobCount()))
{
    connect(feed, &ChangeFeed::batch, this, &JobListModel::applyBatch);
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

QString JobListModel::persistState(const TrackerTable &tracker, quint32 job)
{
    const JobState &s = tracker.state(job);
    if (tracker.watchesStaleness() && tracker.staleness().since(job) > 0) {
        // The workers write, not we: within the grace their write may still land (pending,
        // shown as a softer "saving"); past it the table is stale.
        return tracker.isStale(job) ? QStringLiteral("stale") : QStringLiteral("pending");
    }
    if (s.saving())
        return QStringLiteral("saving");
    if (s.retryPending())
        return QStringLiteral("retry pending");
    if (s.current == JobState::None)
        return QStringLiteral("unresolved");
    return QStringLiteral("saved");
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto job = quint32(index.row());
    const JobState &s = m_tracker->state(job);
    switch (role) {
    case Qt::DisplayRole:
    case JobIdRole:
        return m_tracker->jobId(job);
    case WorkerRole:
        return m_tracker->workerId(job);
    case BackendRole:
        return m_tracker->backendText(s.current);
    case ObservedRole:
        return m_tracker->backendText(s.observed);
    case CacheKeyRole:
        return s.cacheKey;
    case CacheHitRole:
        return !s.cacheKey.isNull();
    case SavingRole:
        return s.saving();
    case RetryPendingRole:
        return s.retryPending();
    case StaleRole:
        return m_tracker->isStale(job);
    case FailuresRole:
        return s.consecutiveFailures;
    case TotalFailuresRole:
        return s.totalFailures;
    case PersistStateRole:
        return persistState(*m_tracker, job);
    case LastSwitchRole:
        return s.lastSwitchMs;
    case PendingRole:
        return m_tracker->staleness().since(job) != 0 && !m_tracker->isStale(job);
    case StaleSinceRole:
        return m_tracker->staleness().since(job);
    case ObservedAtRole:
        return s.observedAtMs;
    default:
        return {};
    }
}

QHash<int, QByteArray> JobListModel::roleNames() const
{
    return {{JobIdRole, "jobId"},
            {WorkerRole, "worker"},
            {BackendRole, "backend"},
            {ObservedRole, "observed"},
            {CacheKeyRole, "cacheKey"},
            {CacheHitRole, "cacheHit"},
            {SavingRole, "saving"},
            {RetryPendingRole, "retryPending"},
            {StaleRole, "stale"},
            {FailuresRole, "failures"},
            {TotalFailuresRole, "totalFailures"},
            {PersistStateRole, "persistState"},
            {LastSwitchRole, "lastSwitch"},
            {PendingRole, "pending"},
            {StaleSinceRole, "staleSince"},
            {ObservedAtRole, "observedAt"}};
}

void JobListModel::applyBatch(const QList<quint32> &changed, qsizetype previousJobCount)
{
    Q_UNUSED(previousJobCount);
    const int jobs = int(m_tracker->jobCount());
    const int oldRows = m_rows;
    if (jobs > m_rows) {
        beginInsertRows({}, m_rows, jobs - 1);
        m_rows = jobs;
        endInsertRows();
    }
    // One dataChanged per contiguous run of changed pre-existing rows.
    QList<quint32> rows;
    rows.reserve(changed.size());
    for (const quint32 job : changed)
        if (int(job) < oldRows)
            rows.append(job);
    std::sort(rows.begin(), rows.end());
    qsizetype i = 0;
    while (i < rows.size()) {
        qsizetype j = i;
        while (j + 1 < rows.size() && rows.at(j + 1) == rows.at(j) + 1)
            ++j;
        Q_EMIT dataChanged(index(int(rows.at(i))), index(int(rows.at(j))));
        i = j + 1;
    }
}
