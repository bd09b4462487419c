#pragma once

#include <QFuture>
#include <QList>
#include <QMutex>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QTimer>

class TrackerTable;
struct SwitchRecord;

/*!
 * Watch mode's own record of what it saw (`--history`): table switches, changes of a job's
 * observed backend, and stale periods with their recoveries, in Stickyboard's own SQLite
 * file (never the watched database), kept for `--history-days`. A stale period still open
 * at exit is taken up again by the next run, so a restart does not forget a staleness that
 * began before it.
 *
 * Rows are buffered and written once a second in one transaction, on a thread of their own
 * (one connection, opened there): the event loop never waits for the file.
 */
class HistoryStore : public QObject {
    Q_OBJECT
public:
    static constexpr int DefaultDays = 7;

    /// A stale period that was open when the last run ended.
    struct OpenStale {
        QString job;
        QString worker;
        QString observed;
        QString cacheKey;
        qint64 observedAtMs = 0;
        qint64 sinceMs = 0;
    };

    /// `source` names what is watched (database and table): one file may hold the record
    /// of several, and a run takes up only its own.
    HistoryStore(const QString &path, int retentionDays, const QString &source,
                 QObject *parent = nullptr);
    /// Writes what is buffered, then closes the file.
    ~HistoryStore() override;

    /// `<AppDataLocation>/watch-history.db`.
    static QString defaultPath();
    const QString &path() const { return m_path; }

    struct Opened {
        QList<OpenStale> open; ///< the last run's stale periods still open
        QString error;         ///< non-empty: the file cannot be used, and why
    };
    /// Creates or opens the file, drops rows older than the retention and reads the open
    /// stale periods. (A result with the error, not a QException: TSan cannot see how an
    /// exception crosses threads inside Qt.)
    QFuture<Opened> open();
    /// Records what `tracker` sees from now on.
    void follow(TrackerTable *tracker);
    /// Writes the buffered rows now; settles when they are in the file.
    QFuture<void> flush();
    /// `job`'s timeline, newest first: table switches, observed changes, stale periods and
    /// recoveries before `beforeMs` (0: from now), at most `limit` rows. Each row's `id` is
    /// its time in ms (the next page's `beforeMs`); rows still buffered are flushed first.
    QFuture<QList<SwitchRecord>> timeline(const QString &job, qint64 beforeMs, int limit);

private:
    struct Row {
        enum class Kind { Switch, Observed, StaleBegin, StaleEnd } kind;
        qint64 atMs;
        QString job, worker, a, b, cacheKey; ///< a/b: from/to, or observed/table value
        qint64 extraMs = 0;                  ///< StaleBegin: observedAtMs; StaleEnd: duration
    };
    void add(Row row);
    /// On the history thread: writes what flush() handed over, in one transaction.
    void writeHanded();
    /// On the history thread: prunes, then reads the open periods; throws on failure.
    static QList<OpenStale> readOpen(const QString &name, const QString &path, qint64 cutoff,
                                     const QString &source);
    void prune();

    QString m_path;
    QString m_connection;
    QString m_source;
    int m_retentionDays;
    QThreadPool m_pool;   ///< one thread that never expires: the connection lives on it
    QList<Row> m_pending; ///< this thread's rows since the last flush()
    /// Rows handed to the history thread. The lock is what orders the hand-off for TSan too
    /// (QThreadPool's own ordering is inside uninstrumented Qt).
    QMutex m_handoff;
    QList<Row> m_handed;
    QTimer m_flushTimer;
    QTimer m_pruneTimer;
};
