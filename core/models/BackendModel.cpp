#include "models/BackendModel.h"

#include "models/BackendLanes.h"
#include "sim/GatewaySim.h"
#include "sources/EventDispatcher.h"
#include "tracker/TrackerTable.h"

#include <QSet>

BackendModel::BackendModel(QObject *parent) : QAbstractListModel(parent)
{
    // Load figures move continuously; 4 Hz reads as live without costing a frame.
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &BackendModel::refresh);
}

void BackendModel::setSources(TrackerTable *tracker, GatewaySim *sim, EventDispatcher *dispatcher)
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = tracker;
    m_sim = sim;
    m_dispatcher = dispatcher;
    if (sim) {
        // A state change is what operators act on: show it now, not at the next tick.
        m_connections << connect(sim, &GatewaySim::backendStateChanged, this,
                                 &BackendModel::refresh)
                      << connect(sim, &GatewaySim::backendAdded, this, &BackendModel::refresh)
                      << connect(sim, &GatewaySim::backendRemoved, this, &BackendModel::refresh);
    }
    if (dispatcher)
        m_connections << connect(dispatcher, &EventDispatcher::backendStateChanged, this,
                                 &BackendModel::refresh);
    if (tracker || sim || dispatcher)
        m_timer.start();
    else
        m_timer.stop();
    refresh();
}

QList<BackendModel::Row> BackendModel::collect()
{
    const QList<BackendLane> lanes = collectBackendLanes(m_tracker, m_sim, m_dispatcher);
    QList<Row> rows;
    rows.reserve(lanes.size());
    for (const BackendLane &lane : lanes) {
        Row r;
        r.id = lane.id;
        r.state = lane.state;
        if (lane.load) {
            r.running = lane.load->running;
            r.waiting = lane.load->waiting;
            r.capacity = lane.load->capacity;
            r.kvUse = lane.load->kvCacheUse;
            r.hitRate = lane.load->hitRate;
            r.hasLoad = true;
        }
        r.jobs = lane.jobs;
        r.incoming = lane.incoming;
        rows.append(std::move(r));
    }
    return rows;
}

void BackendModel::refresh()
{
    syncRows(collect());
}

void BackendModel::syncRows(QList<Row> next)
{
    QStringList nextIds;
    nextIds.reserve(next.size());
    for (const Row &r : std::as_const(next))
        nextIds.append(r.id);
    const QStringList oldIds = ids();

    if (nextIds != oldIds) {
        // Lanes come and go one at a time; remove and insert in place so views keep the
        // other lanes (and their animations) instead of rebuilding everything.
        const QSet<QString> nextSet(nextIds.cbegin(), nextIds.cend());
        const QSet<QString> oldSet(oldIds.cbegin(), oldIds.cend());
        QStringList kept;
        for (const QString &id : oldIds)
            if (nextSet.contains(id))
                kept.append(id);
        QStringList keptInNext;
        for (const QString &id : std::as_const(nextIds))
            if (oldSet.contains(id))
                keptInNext.append(id);
        if (kept != keptInNext || nextSet.size() != nextIds.size()) {
            beginResetModel();
            m_rows = std::move(next);
            endResetModel();
            Q_EMIT idsChanged();
            return;
        }
        for (qsizetype r = m_rows.size() - 1; r >= 0; --r) {
            if (nextSet.contains(m_rows.at(r).id))
                continue;
            beginRemoveRows({}, int(r), int(r));
            m_rows.removeAt(r);
            endRemoveRows();
        }
        for (qsizetype r = 0; r < next.size(); ++r) {
            if (r < m_rows.size() && m_rows.at(r).id == next.at(r).id)
                continue;
            beginInsertRows({}, int(r), int(r));
            m_rows.insert(r, next.at(r));
            endInsertRows();
        }
        Q_EMIT idsChanged();
    }
    if (m_rows != next) {
        m_rows = std::move(next);
        Q_EMIT dataChanged(index(0), index(int(m_rows.size()) - 1));
    }
}

QStringList BackendModel::ids() const
{
    QStringList out;
    out.reserve(m_rows.size());
    for (const Row &r : m_rows)
        out.append(r.id);
    return out;
}

int BackendModel::indexOf(const QString &id) const
{
    for (qsizetype r = 0; r < m_rows.size(); ++r)
        if (m_rows.at(r).id == id)
            return int(r);
    return -1;
}

int BackendModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant BackendModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case BackendIdRole:
        return r.id;
    case StateRole:
        return r.state;
    case RunningRole:
        return r.running;
    case WaitingRole:
        return r.waiting;
    case CapacityRole:
        return r.capacity;
    case KvUseRole:
        return r.kvUse;
    case HitRateRole:
        return r.hitRate;
    case JobsRole:
        return r.jobs;
    case IncomingRole:
        return r.incoming;
    case HasLoadRole:
        return r.hasLoad;
    default:
        return {};
    }
}

QHash<int, QByteArray> BackendModel::roleNames() const
{
    return {{BackendIdRole, "backendId"}, {StateRole, "state"},       {RunningRole, "running"},
            {WaitingRole, "waiting"},     {CapacityRole, "capacity"}, {KvUseRole, "kvUse"},
            {HitRateRole, "hitRate"},     {JobsRole, "jobs"},         {IncomingRole, "incoming"},
            {HasLoadRole, "hasLoad"}};
}
