#pragma once

#include <QFuture>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

class JobStore;
class TrackerTable;

/*!
 * The `--report` JSON (design.md, "Report"):
 *
 *     { "mode": "replay", "events": 6, "badLines": 4,
 *       "persist": {"attempted": 6, "succeeded": 4, "failed": 2},
 *       "switches": 1, "retriesRecovered": 1, "staleJobs": 1,
 *       "jobs": [ {"job":"j1","worker":"w1","current":"b2","db":"b2",
 *                  "observed":"b2","persistFailures":1} ] }
 *
 * In watch mode (`"mode":"watch"`) `observations`, `pendingJobs` and `staleRecovered`
 * follow `staleJobs`, and each job also has `observedAtMs`, `staleSinceMs` (null or ms
 * since the epoch) and `stale`.
 *
 * Jobs are every job the tracker knows plus any other job the database holds, sorted by
 * id in UTF-16 code-unit order (QString::operator<). Unknown values are JSON null.
 * A value type, so tests can compare whole reports.
 */
struct Report {
    struct Job {
        QString job;
        QString worker;   ///< null when unknown
        QString current;  ///< the tracker's (persisted) value; null when never resolved
        QString db;       ///< jobs.last_backend_id at report time; null when unset or absent
        QString observed; ///< backend of the latest event; null when none
        quint64 persistFailures = 0;
        // Watch mode only (Report::watch): the gateway's side.
        qint64 observedAtMs = 0; ///< when the latest observation was served; 0: none
        qint64 staleSinceMs = 0; ///< when observed began to differ from the table; 0: in step
        bool stale = false;      ///< differing for longer than --stale-after (else pending)
        bool operator==(const Job &other) const;
    };

    enum class Format { Compact, Pretty };

    QString mode; ///< simulate | replay | watch
    quint64 events = 0;
    qint64 badLines = 0;
    quint64 attempted = 0;
    quint64 succeeded = 0;
    quint64 failed = 0;
    quint64 switches = 0;
    quint64 retriesRecovered = 0;
    /// Jobs with an observed backend other than `current` (watch mode: for longer than
    /// --stale-after).
    quint64 staleJobs = 0;
    /// Watch mode: per job observedAtMs, staleSinceMs and stale; and these counters.
    bool watch = false;
    quint64 observations = 0;
    quint64 pendingJobs = 0;    ///< differing, within the grace
    quint64 staleRecovered = 0; ///< stale jobs the table caught up with
    QList<Job> jobs;

    /// From the tracker's counters and jobs and `db` (JobStore::readJobBackends()).
    static Report build(const QString &mode, const TrackerTable &tracker,
                        const QHash<QString, QString> &db, qint64 badLines);
    /// Reads the database, then builds; settles on `tracker`'s thread. Call once every
    /// write has settled, or `db` may lag behind `current`.
    static QFuture<Report> collect(const QString &mode, TrackerTable *tracker, JobStore *store,
                                   qint64 badLines);

    QJsonObject toJsonObject() const;
    /// Keys in design.md's order; ends with a newline. Pretty puts one job per line.
    QByteArray toJson(Format format = Format::Pretty) const;
    /// Writes toJson() to `path` ("-" = stdout); false with `error` naming the path.
    bool write(const QString &path, Format format, QString *error) const;

    /// Jobs whose `current` differs from `db`: empty when the tracker's invariant holds.
    QStringList inconsistentJobs() const;

    bool operator==(const Report &other) const = default;
};
