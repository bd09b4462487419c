#pragma once

#include <QAbstractListModel>

class ChangeFeed;
class TrackerTable;

/// Every job the tracker knows, in the order first seen; one row per job.
class JobListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Roles {
        JobIdRole = Qt::UserRole + 1,
        WorkerRole,
        BackendRole,  ///< persisted (what the database holds)
        ObservedRole, ///< where the job really runs (latest event)
        CacheKeyRole,
        CacheHitRole,
        SavingRole,
        RetryPendingRole,
        StaleRole,    ///< observed differs from persisted (watch mode: past --stale-after)
        FailuresRole, ///< consecutive failed writes
        TotalFailuresRole,
        /// "saved" | "saving" | "retry pending" | "unresolved"; watch mode: "pending" while
        /// the table may still catch up (within --stale-after), "stale" after
        PersistStateRole,
        LastSwitchRole, ///< ms since epoch, 0 = none in this run
        // Watch mode (issue 12): the gateway's side.
        PendingRole,    ///< observed differs from the table, within --stale-after
        StaleSinceRole, ///< ms since epoch the difference began; 0 = in step
        ObservedAtRole, ///< ms since epoch of the latest observation; 0 = none
    };
    Q_ENUM(Roles)

    explicit JobListModel(ChangeFeed *feed, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    static QString persistState(const TrackerTable &tracker, quint32 job);

private:
    void applyBatch(const QList<quint32> &changed, qsizetype previousJobCount);

    TrackerTable *m_tracker;
    int m_rows = 0;
};
