#include "models/EventLogModel.h"

#include "tracker/TrackerTable.h"

#include <QDateTime>

EventLogModel::EventLogModel(int capacity, QObject *parent)
    : QAbstractListModel(parent), m_capacity(std::max(1, capacity))
{
    m_frame.setSingleShot(true);
    m_frame.setInterval(16);
    connect(&m_frame, &QTimer::timeout, this, &EventLogModel::flushPending);
}

void EventLogModel::follow(TrackerTable *tracker)
{
    connect(tracker, &TrackerTable::persisted, this,
            [this, tracker](quint32 job, quint32 from, quint32 to, const QString &cacheKey) {
                Entry e;
                e.timeMs = QDateTime::currentMSecsSinceEpoch();
                e.job = tracker->jobId(job);
                e.worker = tracker->workerId(job);
                e.from = tracker->backendText(from);
                e.to = tracker->backendText(to);
                e.cacheKey = cacheKey;
                const QString cache = cacheKey.isNull() ? QStringLiteral("miss") : cacheKey;
                // A success right after failures is the retry the rule exists for.
                if (m_recovering.remove(job)) {
                    e.kind = Kind::Recovery;
                    e.message =
                        QStringLiteral("%1 recovered: %2 → %3 persisted after retry")
                            .arg(e.job, e.from.isEmpty() ? QStringLiteral("unset") : e.from, e.to);
                } else if (from == JobState::None) {
                    e.kind = Kind::Resolved;
                    e.message =
                        QStringLiteral("%1 resolved to %2 (cache %3)").arg(e.job, e.to, cache);
                } else {
                    e.kind = Kind::Switch;
                    e.message = QStringLiteral("%1 switched %2 → %3 (cache %4)")
                                    .arg(e.job, e.from, e.to, cache);
                }
                append(std::move(e));
            });
    connect(tracker, &TrackerTable::persistFailed, this,
            [this, tracker](quint32 job, quint32 kept, quint32 target, const QString &error) {
                m_recovering.insert(job);
                Entry e;
                e.timeMs = QDateTime::currentMSecsSinceEpoch();
                e.kind = Kind::Failure;
                e.job = tracker->jobId(job);
                e.worker = tracker->workerId(job);
                e.from = tracker->backendText(kept);
                e.to = tracker->backendText(target);
                e.message = QStringLiteral("%1: write of %2 failed (%3); keeping %4 for retry")
                                .arg(e.job, e.to, error,
                                     e.from.isEmpty() ? QStringLiteral("unset") : e.from);
                append(std::move(e));
            });
    followStaleness(tracker);
}

void EventLogModel::followStaleness(TrackerTable *tracker)
{
    const auto entry = [tracker](quint32 job, Kind kind) {
        Entry e;
        e.timeMs = QDateTime::currentMSecsSinceEpoch();
        e.kind = kind;
        e.job = tracker->jobId(job);
        e.worker = tracker->workerId(job);
        const JobState &s = tracker->state(job);
        e.from = tracker->backendText(s.current);
        e.to = tracker->backendText(s.observed);
        e.cacheKey = s.cacheKey;
        return e;
    };
    connect(tracker, &TrackerTable::becameStale, this,
            [this, entry, tracker](quint32 job, qint64 sinceMs) {
                Entry e = entry(job, Kind::Stale);
                e.message =
                    QStringLiteral("%1 stale: served on %2, the table still holds %3 "
                                   "(for %4 s)")
                        .arg(e.job, e.to, e.from.isEmpty() ? QStringLiteral("nothing") : e.from,
                             QString::number(
                                 qMax<qint64>(0, (tracker->staleness().now() - sinceMs) / 1000)));
                append(std::move(e));
            });
    connect(tracker, &TrackerTable::staleRecovered, this,
            [this, entry](quint32 job, qint64 durationMs) {
                Entry e = entry(job, Kind::Recovery);
                e.message = QStringLiteral("%1 recovered after %2 s: the table holds %3")
                                .arg(e.job, QString::number((durationMs + 500) / 1000), e.from);
                append(std::move(e));
            });
}

void EventLogModel::append(Entry entry)
{
    m_pending.append(std::move(entry));
    if (!m_frame.isActive())
        m_frame.start();
}

void EventLogModel::flushPending()
{
    if (m_pending.isEmpty())
        return;
    QList<Entry> pending = std::exchange(m_pending, {});
    if (pending.size() > m_capacity)
        pending.remove(0, pending.size() - m_capacity);
    if (m_ring.capacity() < m_capacity)
        m_ring.reserve(m_capacity);
    const qsizetype overflow = m_count + pending.size() - m_capacity;
    if (overflow > 0) {
        // The oldest rows are the last ones; their slots are overwritten just below.
        beginRemoveRows({}, int(m_count - overflow), int(m_count - 1));
        m_oldest = (m_oldest + overflow) % m_capacity;
        m_count -= overflow;
        endRemoveRows();
    }
    beginInsertRows({}, 0, int(pending.size()) - 1);
    for (Entry &e : pending) {
        // Until the ring is full the next slot is its end (m_oldest + m_count == size).
        const qsizetype slot = (m_oldest + m_count) % m_capacity;
        if (slot < m_ring.size())
            m_ring[slot] = std::move(e);
        else
            m_ring.append(std::move(e));
        ++m_count;
    }
    endInsertRows();
}

void EventLogModel::clear()
{
    beginResetModel();
    m_ring.clear();
    m_ring.squeeze();
    m_oldest = 0;
    m_count = 0;
    m_pending.clear();
    endResetModel();
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_count);
}

const EventLogModel::Entry &EventLogModel::entry(int row) const
{
    return m_ring.at((m_oldest + m_count - 1 - row) % m_capacity);
}

QString EventLogModel::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Resolved:
        return QStringLiteral("resolved");
    case Kind::Switch:
        return QStringLiteral("switch");
    case Kind::Failure:
        return QStringLiteral("failure");
    case Kind::Recovery:
        return QStringLiteral("recovery");
    case Kind::Fault:
        return QStringLiteral("fault");
    case Kind::Backend:
        return QStringLiteral("backend");
    case Kind::Stale:
        return QStringLiteral("stale");
    }
    return {};
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = entry(index.row());
    switch (role) {
    case TimeRole:
        return e.timeMs;
    case KindRole:
        return int(e.kind);
    case KindNameRole:
        return kindName(e.kind);
    case JobRole:
        return e.job;
    case WorkerRole:
        return e.worker;
    case FromRole:
        return e.from;
    case ToRole:
        return e.to;
    case CacheKeyRole:
        return e.cacheKey;
    case Qt::DisplayRole:
    case MessageRole:
        return e.message;
    default:
        return {};
    }
}

QHash<int, QByteArray> EventLogModel::roleNames() const
{
    return {{TimeRole, "time"}, {KindRole, "kind"},         {KindNameRole, "kindName"},
            {JobRole, "job"},   {WorkerRole, "worker"},     {FromRole, "from"},
            {ToRole, "to"},     {CacheKeyRole, "cacheKey"}, {MessageRole, "message"}};
}
