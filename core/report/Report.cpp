#include "report/Report.h"

#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSet>

#include <algorithm>
#include <cstdio>

namespace {

bool sameText(const QString &a, const QString &b)
{
    return a.isNull() == b.isNull() && a == b;
}

QJsonValue nullable(const QString &text)
{
    return text.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

/// One value as compact JSON text (Qt escapes strings correctly; we only choose key order).
QByteArray text(const QJsonValue &value)
{
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

QByteArray msText(qint64 ms)
{
    return ms == 0 ? QByteArray("null") : QByteArray::number(ms);
}

QJsonValue msValue(qint64 ms)
{
    return ms == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(ms);
}

QByteArray jobText(const Report::Job &j, bool watch)
{
    QByteArray out = "{\"job\":" + text(j.job) + ",\"worker\":" + text(nullable(j.worker)) +
                     ",\"current\":" + text(nullable(j.current)) +
                     ",\"db\":" + text(nullable(j.db)) +
                     ",\"observed\":" + text(nullable(j.observed)) +
                     ",\"persistFailures\":" + QByteArray::number(j.persistFailures);
    if (watch)
        out += ",\"observedAtMs\":" + msText(j.observedAtMs) +
               ",\"staleSinceMs\":" + msText(j.staleSinceMs) +
               ",\"stale\":" + (j.stale ? "true" : "false");
    return out + '}';
}

} // namespace

bool Report::Job::operator==(const Job &other) const
{
    return job == other.job && sameText(worker, other.worker) && sameText(current, other.current) &&
           sameText(db, other.db) && sameText(observed, other.observed) &&
           persistFailures == other.persistFailures && observedAtMs == other.observedAtMs &&
           staleSinceMs == other.staleSinceMs && stale == other.stale;
}

Report Report::build(const QString &mode, const TrackerTable &tracker,
                     const QHash<QString, QString> &db, qint64 badLines)
{
    Report r;
    r.mode = mode;
    const TrackerTable::Counters &c = tracker.counters();
    r.events = c.events;
    r.badLines = badLines;
    r.attempted = c.attempted;
    r.succeeded = c.succeeded;
    r.failed = c.failed;
    r.switches = c.switches;
    r.retriesRecovered = c.retriesRecovered;
    r.watch = mode == QLatin1String("watch");
    if (r.watch) {
        r.observations = c.observations;
        r.staleRecovered = c.staleRecovered;
        r.pendingJobs = quint64(tracker.staleness().pendingCount(tracker.staleness().now()));
    }

    r.jobs.reserve(tracker.jobCount());
    for (quint32 i = 0; i < quint32(tracker.jobCount()); ++i) {
        const JobState &s = tracker.state(i);
        Job j;
        j.job = tracker.jobId(i);
        j.worker = tracker.workerId(i);
        j.current = tracker.backendText(s.current);
        j.db = db.value(j.job); // null when the database has no such job
        j.observed = tracker.backendText(s.observed);
        j.persistFailures = s.totalFailures;
        if (r.watch) {
            j.observedAtMs = s.observedAtMs;
            j.staleSinceMs = tracker.staleness().since(i);
            j.stale = tracker.isStale(i);
        }
        r.jobs.append(std::move(j));
    }
    // Jobs only the database knows would otherwise hide a disagreement with the tracker.
    for (auto it = db.cbegin(); it != db.cend(); ++it) {
        if (tracker.findJob(it.key()) == TrackerTable::None)
            r.jobs.append(Job{it.key(), {}, {}, it.value(), {}, 0});
    }
    std::sort(r.jobs.begin(), r.jobs.end(),
              [](const Job &a, const Job &b) { return a.job < b.job; });
    if (r.watch)
        r.staleJobs = quint64(
            std::count_if(r.jobs.cbegin(), r.jobs.cend(), [](const Job &j) { return j.stale; }));
    else
        r.staleJobs = quint64(std::count_if(r.jobs.cbegin(), r.jobs.cend(), [](const Job &j) {
            return !j.observed.isNull() && j.observed != j.current;
        }));
    return r;
}

QFuture<Report> Report::collect(const QString &mode, TrackerTable *tracker, JobStore *store,
                                qint64 badLines)
{
    return store->readJobBackends().then(tracker, [=](const QHash<QString, QString> &db) {
        return build(mode, *tracker, db, badLines);
    });
}

QJsonObject Report::toJsonObject() const
{
    QJsonArray jobArray;
    for (const Job &j : jobs) {
        QJsonObject o{{QStringLiteral("job"), j.job},
                      {QStringLiteral("worker"), nullable(j.worker)},
                      {QStringLiteral("current"), nullable(j.current)},
                      {QStringLiteral("db"), nullable(j.db)},
                      {QStringLiteral("observed"), nullable(j.observed)},
                      {QStringLiteral("persistFailures"), qint64(j.persistFailures)}};
        if (watch) {
            o.insert(QStringLiteral("observedAtMs"), msValue(j.observedAtMs));
            o.insert(QStringLiteral("staleSinceMs"), msValue(j.staleSinceMs));
            o.insert(QStringLiteral("stale"), j.stale);
        }
        jobArray.append(o);
    }
    QJsonObject top{
        {QStringLiteral("mode"), mode},
        {QStringLiteral("events"), qint64(events)},
        {QStringLiteral("badLines"), badLines},
        {QStringLiteral("persist"), QJsonObject{{QStringLiteral("attempted"), qint64(attempted)},
                                                {QStringLiteral("succeeded"), qint64(succeeded)},
                                                {QStringLiteral("failed"), qint64(failed)}}},
        {QStringLiteral("switches"), qint64(switches)},
        {QStringLiteral("retriesRecovered"), qint64(retriesRecovered)},
        {QStringLiteral("staleJobs"), qint64(staleJobs)},
        {QStringLiteral("jobs"), jobArray},
    };
    if (watch) {
        top.insert(QStringLiteral("observations"), qint64(observations));
        top.insert(QStringLiteral("pendingJobs"), qint64(pendingJobs));
        top.insert(QStringLiteral("staleRecovered"), qint64(staleRecovered));
    }
    return top;
}

QByteArray Report::toJson(Format format) const
{
    const bool pretty = format == Format::Pretty;
    const QByteArray nl = pretty ? "\n  " : "";
    const QByteArray sep = pretty ? ", " : ",";
    QByteArray out = "{" + nl + "\"mode\":" + text(mode) + ',' + nl +
                     "\"events\":" + QByteArray::number(events) + ',' + nl +
                     "\"badLines\":" + QByteArray::number(badLines) + ',' + nl +
                     "\"persist\":{\"attempted\":" + QByteArray::number(attempted) + sep +
                     "\"succeeded\":" + QByteArray::number(succeeded) + sep +
                     "\"failed\":" + QByteArray::number(failed) + "}," + nl +
                     "\"switches\":" + QByteArray::number(switches) + ',' + nl +
                     "\"retriesRecovered\":" + QByteArray::number(retriesRecovered) + ',' + nl +
                     "\"staleJobs\":" + QByteArray::number(staleJobs) + ',' + nl;
    if (watch)
        out += "\"observations\":" + QByteArray::number(observations) + ',' + nl +
               "\"pendingJobs\":" + QByteArray::number(pendingJobs) + ',' + nl +
               "\"staleRecovered\":" + QByteArray::number(staleRecovered) + ',' + nl;
    out += "\"jobs\":[";
    for (qsizetype i = 0; i < jobs.size(); ++i) {
        if (i > 0)
            out += ',';
        if (pretty)
            out += "\n    ";
        out += jobText(jobs.at(i), watch);
    }
    if (pretty && !jobs.isEmpty())
        out += "\n  ";
    out += ']';
    if (pretty)
        out += '\n';
    out += "}\n";
    return out;
}

bool Report::write(const QString &path, Format format, QString *error) const
{
    const QByteArray json = toJson(format);
    if (path == u"-") {
        QFile out;
        if (!out.open(stdout, QIODevice::WriteOnly, QFileDevice::DontCloseHandle) ||
            out.write(json) != json.size() || !out.flush()) {
            if (error)
                *error =
                    QStringLiteral("cannot write the report to stdout: %1").arg(out.errorString());
            return false;
        }
        return true;
    }
    // All or nothing: a reader never sees half a report, and a failed run keeps the old one.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit()) {
        if (error)
            *error =
                QStringLiteral("cannot write the report to '%1': %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

QStringList Report::inconsistentJobs() const
{
    QStringList out;
    for (const Job &j : jobs) {
        if (!sameText(j.current, j.db))
            out.append(j.job);
    }
    return out;
}
