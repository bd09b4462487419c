#pragma once

#include <QAbstractListModel>
#include <QFuture>
#include <QHash>
#include <QList>
#include <QPointer>

#include <functional>

#include <deque>

class JobStore;
struct SwitchRecord;
class TrackerTable;

/*!
 * One job's timeline, newest first: the switches persisted in the database (read page by
 * page, asynchronously; never blocks) merged with the failed write attempts, which the
 * database never sees and this model therefore keeps in memory (the last 50 per job,
 * 20,000 in all). Refreshes when the tracker persists a switch for the shown job.
 */
class SwitchHistoryModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString jobId READ jobId NOTIFY jobIdChanged)
    /// A database read is running.
    Q_PROPERTY(bool loading READ isLoading NOTIFY loadingChanged)
    /// Why the history could not be read (a readable sentence, never a password); "" if fine.
    Q_PROPERTY(QString error READ error NOTIFY errorChanged)
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    enum Roles {
        TimeRole = Qt::UserRole + 1, ///< ms since the epoch
        /// "resolved" | "switch" | "failure"; watch mode's history also "observed", "stale",
        /// "recovered"
        KindRole,
        FromRole,
        ToRole,
        CacheKeyRole, ///< null = cache miss
        ErrorRole,    ///< failures: why the write failed
        DurationRole, ///< "recovered": how long the table lagged, ms
    };
    Q_ENUM(Roles)

    static constexpr int PageSize = 50;
    static constexpr int FailuresPerJob = 50;
    static constexpr int FailuresTotal = 20'000;

    struct Entry {
        qint64 timeMs = 0;
        qint64 dbId = 0; ///< backend_switches.id; 0 for failures
        QString kind;
        QString from;
        QString to;
        QString cacheKey;
        QString error;
        qint64 durationMs = 0;
        bool operator==(const Entry &) const = default;
    };

    explicit SwitchHistoryModel(QObject *parent = nullptr);

    /// Either may be null. Also follows the tracker's failures (see follow()).
    void setSources(JobStore *store, TrackerTable *tracker);
    /// Reads a page of a job's timeline: newest first, rows before `beforeId` (0: the newest).
    using Reader = std::function<QFuture<QList<SwitchRecord>>(const QString &jobId, qint64 beforeId,
                                                              int limit)>;
    /// As setSources() with another reader: watch mode's own history (HistoryStore), which
    /// also holds what the gateway served and the stale periods.
    void setReader(Reader reader, TrackerTable *tracker);
    /// Keeps the tracker's failed attempts and refreshes on its persisted switches.
    void follow(TrackerTable *tracker);

    /// Shows `jobId`'s timeline (empty: none); the first page arrives asynchronously.
    Q_INVOKABLE void load(const QString &jobId);
    Q_INVOKABLE void reload() { load(m_jobId); }

    QString jobId() const { return m_jobId; }
    bool isLoading() const { return m_pending > 0; }
    QString error() const { return m_error; }
    int count() const { return int(m_rows.size()); }
    /// Failed attempts kept for a job, oldest first.
    QList<Entry> failures(const QString &jobId) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    void jobIdChanged();
    void loadingChanged();
    void errorChanged();
    void countChanged();

private:
    void request(qint64 beforeId);
    void received(quint64 generation, qint64 beforeId, const QList<SwitchRecord> &records);
    void failed(quint64 generation, const QString &message);
    void refreshIfAsked();
    void addFailure(const QString &jobId, Entry entry);
    void rebuild();
    void setPending(int delta);
    void setError(const QString &error);

    Reader m_reader;
    QPointer<TrackerTable> m_tracker;
    QList<QMetaObject::Connection> m_trackerConnections;

    QString m_jobId;
    quint64 m_generation = 0; ///< answers for an earlier load() are dropped
    int m_pending = 0;
    bool m_refreshAgain = false; ///< a switch was persisted while a read ran
    QString m_error;
    QList<Entry> m_switches; ///< from the database, newest first, without gaps
    bool m_complete = false; ///< the oldest switch row is loaded
    QList<Entry> m_rows;     ///< shown: switches and failures merged, newest first

    QHash<QString, std::deque<Entry>> m_failures;
    std::deque<std::pair<QString, qint64>> m_failureOrder; ///< (job, time) oldest first
};
