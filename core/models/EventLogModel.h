#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QSet>
#include <QTimer>

class TrackerTable;

/*!
 * The event log: what happened to persistence, newest first. Fed by the tracker's
 * persisted/persistFailed signals and by fault and backend changes; rows are inserted once
 * per frame in one batch, and the oldest fall off past the capacity. The rows live in a ring
 * of at most `capacity` slots, allocated once: a list trimmed at the front and appended at
 * the back slides through a buffer about twice the capacity and, over minutes, touches all
 * of it (the soak bench saw 4 MiB of RSS come in that way between minutes 1 and 3).
 */
class EventLogModel : public QAbstractListModel {
    Q_OBJECT
public:
    /// Stale: watch mode, a job the table has trailed the gateway on for the grace; its end
    /// is a Recovery ("recovered after 37 s").
    enum class Kind { Resolved, Switch, Failure, Recovery, Fault, Backend, Stale };
    Q_ENUM(Kind)

    enum Roles {
        TimeRole = Qt::UserRole + 1, ///< ms since the epoch
        KindRole,                    ///< Kind
        KindNameRole,                ///< "resolved" | "switch" | "failure" | …
        JobRole,
        WorkerRole,
        FromRole,
        ToRole,
        CacheKeyRole,
        MessageRole, ///< one readable sentence
    };
    Q_ENUM(Roles)

    struct Entry {
        qint64 timeMs = 0;
        Kind kind = Kind::Switch;
        QString job;
        QString worker;
        QString from;
        QString to;
        QString cacheKey;
        QString message;
    };

    explicit EventLogModel(int capacity = 10'000, QObject *parent = nullptr);

    /// Follows a tracker's writes: resolutions, switches, failures and recoveries; in watch
    /// mode also jobs going stale and recovering.
    void follow(TrackerTable *tracker);
    void append(Entry entry);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    const Entry &entry(int row) const;
    /// Slots of row storage held: never more than the capacity (the soak's bound).
    qsizetype storageSlots() const { return m_ring.capacity(); }

    static QString kindName(Kind kind);

private:
    void flushPending();
    void followStaleness(TrackerTable *tracker);

    int m_capacity;
    QList<Entry> m_ring;    ///< reserved to the capacity once; grows until full, then wraps
    qsizetype m_oldest = 0; ///< slot of the oldest row
    qsizetype m_count = 0;  ///< rows shown; row r is slot (m_oldest + m_count - 1 - r) % capacity
    QList<Entry> m_pending;
    QSet<quint32> m_recovering; ///< jobs whose last write failed
    QTimer m_frame;
};
