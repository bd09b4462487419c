#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QPointer>
#include <QStringList>
#include <QTimer>

class EventDispatcher;
class GatewaySim;
class TrackerTable;

/*!
 * One row per backend, in lane order: the simulation's backends when there is one, else
 * every backend the tracker has seen plus any named only by backend lines. Load figures
 * come from the simulation; job counts from the tracker (`jobs`: persisted there,
 * `incoming`: observed there but persisted elsewhere, i.e. stale jobs heading here).
 *
 * Refreshed about four times a second with one dataChanged over all rows (and only when
 * something changed), and at once when a backend's state changes.
 */
class BackendModel : public QAbstractListModel {
    Q_OBJECT
    /// Backend ids in lane order.
    Q_PROPERTY(QStringList ids READ ids NOTIFY idsChanged)
    Q_PROPERTY(int count READ count NOTIFY idsChanged)
public:
    enum Roles {
        BackendIdRole = Qt::UserRole + 1,
        StateRole,    ///< "online" | "saturated" | "offline"
        RunningRole,  ///< requests being served
        WaitingRole,  ///< requests queued
        CapacityRole, ///< concurrent requests; 0 = unknown
        KvUseRole,    ///< 0–1; -1 = unknown
        HitRateRole,  ///< 0–1; -1 = unknown
        JobsRole,     ///< jobs whose persisted backend is this one
        IncomingRole, ///< jobs observed here, persisted elsewhere
        HasLoadRole,  ///< load figures are known (simulation)
    };
    Q_ENUM(Roles)

    struct Row {
        QString id;
        QString state = QStringLiteral("online");
        int running = 0;
        int waiting = 0;
        int capacity = 0;
        double kvUse = -1;
        double hitRate = -1;
        int jobs = 0;
        int incoming = 0;
        bool hasLoad = false;
        bool operator==(const Row &) const = default;
    };

    explicit BackendModel(QObject *parent = nullptr);

    /// `sim` and `dispatcher` may be null. Passing all null detaches.
    void setSources(TrackerTable *tracker, GatewaySim *sim, EventDispatcher *dispatcher);
    /// Re-reads every source now (normally the refresh timer does).
    void refresh();
    void setRefreshInterval(int ms) { m_timer.setInterval(ms); }

    QStringList ids() const;
    int count() const { return int(m_rows.size()); }
    Q_INVOKABLE int indexOf(const QString &id) const;
    const Row &row(int row) const { return m_rows.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void idsChanged();

private:
    QList<Row> collect();
    void syncRows(QList<Row> next);

    QPointer<TrackerTable> m_tracker;
    QPointer<GatewaySim> m_sim;
    QPointer<EventDispatcher> m_dispatcher;
    QList<Row> m_rows;
    QTimer m_timer;
    QList<QMetaObject::Connection> m_connections;
};
