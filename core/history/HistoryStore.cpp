#include "history/HistoryStore.h"
#include "store/JobStore.h"

#include "tracker/TrackerTable.h"
#include "util/Logging.h"

#include <QDateTime>
#include <QDir>
#include <QException>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QtConcurrent>

#include <limits>

namespace {

class HistoryError : public QException {
public:
    explicit HistoryError(const QString &message) : m_message(message.toUtf8()) {}
    const char *what() const noexcept override { return m_message.constData(); }
    void raise() const override { throw *this; }
    HistoryError *clone() const override { return new HistoryError(*this); }

private:
    QByteArray m_message;
};

constexpr qint64 DayMs = 86'400'000;

const char *const Schema[] = {
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "CREATE TABLE IF NOT EXISTS table_switches (at INTEGER NOT NULL, source TEXT NOT NULL, "
    "job TEXT NOT NULL, from_backend TEXT, to_backend TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS table_switches_at ON table_switches (at)",
    "CREATE TABLE IF NOT EXISTS observed_changes (at INTEGER NOT NULL, source TEXT NOT NULL, "
    "job TEXT NOT NULL, worker TEXT, backend TEXT NOT NULL, cache_key TEXT)",
    "CREATE INDEX IF NOT EXISTS observed_changes_at ON observed_changes (at)",
    "CREATE TABLE IF NOT EXISTS stale_periods (id INTEGER PRIMARY KEY, source TEXT NOT NULL, "
    "job TEXT NOT NULL, "
    "worker TEXT, observed TEXT NOT NULL, cache_key TEXT, observed_at INTEGER, "
    "table_backend TEXT, since INTEGER NOT NULL, until INTEGER, duration_ms INTEGER)",
    "CREATE INDEX IF NOT EXISTS stale_periods_open ON stale_periods (source, job, until)",
    // A job's timeline (HistoryStore::timeline) reads by job, newest first.
    "CREATE INDEX IF NOT EXISTS table_switches_job ON table_switches (source, job, at)",
    "CREATE INDEX IF NOT EXISTS observed_changes_job ON observed_changes (source, job, at)",
};

QSqlDatabase connection(const QString &name, const QString &path)
{
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(path);
    if (!db.open())
        throw HistoryError(QStringLiteral("cannot open the history file '%1': %2")
                               .arg(path, db.lastError().text()));
    QSqlQuery q(db);
    for (const char *sql : Schema) {
        if (!q.exec(QString::fromLatin1(sql)))
            throw HistoryError(QStringLiteral("cannot use the history file '%1': %2")
                                   .arg(path, q.lastError().text()));
    }
    return db;
}

void exec(QSqlQuery &q, const QString &path)
{
    if (!q.exec())
        throw HistoryError(QStringLiteral("cannot write the history file '%1': %2")
                               .arg(path, q.lastError().text()));
}

} // namespace

HistoryStore::HistoryStore(const QString &path, int retentionDays, const QString &source,
                           QObject *parent)
    : QObject(parent), m_path(path),
      m_connection(QStringLiteral("stickyboard-history-%1").arg(quintptr(this), 0, 16)),
      m_source(source), m_retentionDays(retentionDays)
{
    m_pool.setMaxThreadCount(1);
    m_pool.setExpiryTimeout(-1);
    m_flushTimer.setInterval(1000);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { flush(); });
    m_pruneTimer.setInterval(3'600'000);
    connect(&m_pruneTimer, &QTimer::timeout, this, &HistoryStore::prune);
}

HistoryStore::~HistoryStore()
{
    m_flushTimer.stop();
    flush();
    QtConcurrent::run(&m_pool, [name = m_connection] {
        QSqlDatabase::database(name, false).close();
        QSqlDatabase::removeDatabase(name);
    });
    m_pool.waitForDone();
}

QString HistoryStore::defaultPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(QStringLiteral("watch-history.db"));
}

QFuture<HistoryStore::Opened> HistoryStore::open()
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - qint64(m_retentionDays) * DayMs;
    m_pruneTimer.start();
    return QtConcurrent::run(&m_pool,
                             [name = m_connection, path = m_path, cutoff, source = m_source] {
                                 Opened result;
                                 try {
                                     result.open = readOpen(name, path, cutoff, source);
                                 } catch (const QException &e) {
                                     result.error = QString::fromUtf8(e.what());
                                 }
                                 return result;
                             });
}

QList<HistoryStore::OpenStale> HistoryStore::readOpen(const QString &name, const QString &path,
                                                      qint64 cutoff, const QString &source)
{
    QSqlDatabase db = connection(name, path);
    QSqlQuery q(db);
    for (const char *table : {"table_switches", "observed_changes"}) {
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE at < ?").arg(QLatin1String(table)));
        q.addBindValue(cutoff);
        exec(q, path);
    }
    q.prepare(QStringLiteral("DELETE FROM stale_periods WHERE until IS NOT NULL AND until < ?"));
    q.addBindValue(cutoff);
    exec(q, path);
    // The latest open period of each job (an older one left open would be a bug).
    QList<OpenStale> open;
    q.prepare(QStringLiteral("SELECT job, worker, observed, cache_key, observed_at, since FROM "
                             "stale_periods WHERE source = ? AND until IS NULL ORDER BY since"));
    q.addBindValue(source);
    exec(q, path);
    while (q.next())
        open.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                     q.value(3).toString(), q.value(4).toLongLong(), q.value(5).toLongLong()});
    return open;
}

void HistoryStore::follow(TrackerTable *tracker)
{
    m_flushTimer.start();
    connect(tracker, &TrackerTable::persisted, this,
            [this, tracker](quint32 job, quint32 from, quint32 to, const QString &) {
                add({Row::Kind::Switch,
                     QDateTime::currentMSecsSinceEpoch(),
                     tracker->jobId(job),
                     tracker->workerId(job),
                     tracker->backendText(from),
                     tracker->backendText(to),
                     {}});
            });
    connect(tracker, &TrackerTable::observedChanged, this, [this, tracker](quint32 job) {
        const JobState &s = tracker->state(job);
        add({Row::Kind::Observed,
             s.observedAtMs,
             tracker->jobId(job),
             tracker->workerId(job),
             tracker->backendText(s.observed),
             {},
             s.cacheKey});
    });
    connect(tracker, &TrackerTable::becameStale, this,
            [this, tracker](quint32 job, qint64 sinceMs) {
                const JobState &s = tracker->state(job);
                add({Row::Kind::StaleBegin, sinceMs, tracker->jobId(job), tracker->workerId(job),
                     tracker->backendText(s.observed), tracker->backendText(s.current), s.cacheKey,
                     s.observedAtMs});
            });
    connect(tracker, &TrackerTable::staleRecovered, this,
            [this, tracker](quint32 job, qint64 durationMs) {
                add({Row::Kind::StaleEnd,
                     tracker->staleness().now(),
                     tracker->jobId(job),
                     {},
                     {},
                     {},
                     {},
                     durationMs});
            });
}

void HistoryStore::add(Row row)
{
    m_pending.append(std::move(row));
}

QFuture<void> HistoryStore::flush()
{
    {
        QMutexLocker lock(&m_handoff);
        m_handed.append(std::exchange(m_pending, {}));
    }
    return QtConcurrent::run(&m_pool, [this] { writeHanded(); });
}

void HistoryStore::writeHanded()
{
    QList<Row> rows;
    {
        QMutexLocker lock(&m_handoff);
        rows = std::exchange(m_handed, {});
    }
    if (rows.isEmpty())
        return;
    const QString &name = m_connection, &path = m_path, &source = m_source;
    try {
        QSqlDatabase db = connection(name, path);
        db.transaction();
        QSqlQuery q(db);
        for (const Row &r : rows) {
            switch (r.kind) {
            case Row::Kind::Switch:
                q.prepare(QStringLiteral("INSERT INTO table_switches VALUES (?, ?, ?, ?, ?)"));
                q.addBindValue(r.atMs);
                q.addBindValue(source);
                q.addBindValue(r.job);
                q.addBindValue(r.a);
                q.addBindValue(r.b);
                break;
            case Row::Kind::Observed:
                q.prepare(QStringLiteral("INSERT INTO observed_changes VALUES (?, ?, ?, ?, ?, ?)"));
                q.addBindValue(r.atMs);
                q.addBindValue(source);
                q.addBindValue(r.job);
                q.addBindValue(r.worker);
                q.addBindValue(r.a);
                q.addBindValue(r.cacheKey);
                break;
            case Row::Kind::StaleBegin:
                // A period taken up from the last run is announced again: one row.
                q.prepare(QStringLiteral(
                    "INSERT INTO stale_periods (source, job, worker, observed, cache_key, "
                    "observed_at, table_backend, since) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE "
                    "NOT EXISTS (SELECT 1 FROM stale_periods WHERE source = ? AND job = ? "
                    "AND until IS NULL)"));
                q.addBindValue(source);
                q.addBindValue(r.job);
                q.addBindValue(r.worker);
                q.addBindValue(r.a);
                q.addBindValue(r.cacheKey);
                q.addBindValue(r.extraMs);
                q.addBindValue(r.b);
                q.addBindValue(r.atMs);
                q.addBindValue(source);
                q.addBindValue(r.job);
                break;
            case Row::Kind::StaleEnd:
                q.prepare(QStringLiteral("UPDATE stale_periods SET until = ?, duration_ms = ? "
                                         "WHERE source = ? AND job = ? AND until IS NULL"));
                q.addBindValue(r.atMs);
                q.addBindValue(r.extraMs);
                q.addBindValue(source);
                q.addBindValue(r.job);
                break;
            }
            exec(q, path);
        }
        if (!db.commit())
            throw HistoryError(db.lastError().text());
    } catch (const QException &e) {
        if (QSqlDatabase db = QSqlDatabase::database(name, false); db.isOpen())
            db.rollback();
        // The record is a convenience: a full disk must not stop the watch.
        qCWarning(lcWatch).noquote()
            << "history:" << e.what() << "-" << rows.size() << "rows not kept";
    }
}

QFuture<QList<SwitchRecord>> HistoryStore::timeline(const QString &job, qint64 beforeMs, int limit)
{
    flush(); // the same single thread: what was seen so far is in the file before the read
    const qint64 before = beforeMs > 0 ? beforeMs : std::numeric_limits<qint64>::max();
    return QtConcurrent::run(&m_pool, [name = m_connection, path = m_path, source = m_source, job,
                                       before, limit] {
        QSqlDatabase db = connection(name, path);
        QSqlQuery q(db);
        q.prepare(QStringLiteral(
            "SELECT at, 'table', from_backend, to_backend, NULL, 0 FROM table_switches "
            "WHERE source = ? AND job = ? AND at < ? "
            "UNION ALL SELECT at, 'observed', NULL, backend, cache_key, 0 FROM observed_changes "
            "WHERE source = ? AND job = ? AND at < ? "
            "UNION ALL SELECT since, 'stale', table_backend, observed, cache_key, 0 "
            "FROM stale_periods WHERE source = ? AND job = ? AND since < ? "
            "UNION ALL SELECT until, 'recovered', table_backend, observed, NULL, duration_ms "
            "FROM stale_periods WHERE source = ? AND job = ? AND until IS NOT NULL "
            "AND until < ? ORDER BY 1 DESC LIMIT ?"));
        for (int part = 0; part < 4; ++part) {
            q.addBindValue(source);
            q.addBindValue(job);
            q.addBindValue(before);
        }
        q.addBindValue(limit);
        exec(q, path);
        QList<SwitchRecord> rows;
        while (q.next()) {
            SwitchRecord r;
            r.id = q.value(0).toLongLong();
            r.jobId = job;
            r.at = QDateTime::fromMSecsSinceEpoch(r.id, Qt::UTC);
            r.kind = q.value(1).toString();
            r.fromBackend = q.value(2).toString();
            r.toBackend = q.value(3).toString();
            r.cacheKey = q.value(4).toString();
            r.durationMs = q.value(5).toLongLong();
            rows.append(std::move(r));
        }
        return rows;
    });
}

void HistoryStore::prune()
{
    const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - qint64(m_retentionDays) * DayMs;
    QtConcurrent::run(&m_pool, [name = m_connection, path = m_path, cutoff] {
        try {
            QSqlQuery q(connection(name, path));
            for (const char *sql : {"DELETE FROM table_switches WHERE at < ?",
                                    "DELETE FROM observed_changes WHERE at < ?",
                                    "DELETE FROM stale_periods WHERE until IS NOT NULL AND "
                                    "until < ?"}) {
                q.prepare(QString::fromLatin1(sql));
                q.addBindValue(cutoff);
                exec(q, path);
            }
        } catch (const QException &e) {
            qCWarning(lcWatch).noquote() << "history:" << e.what();
        }
    });
}
