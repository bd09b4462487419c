#include "TrackerBench.h"

#include "ProcessMemory.h"

#include "faults/FaultInjector.h"
#include "store/DbUrl.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"
#include "util/Mulberry32.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTextStream>

#include <cmath>
#include <optional>

namespace {

struct Params {
    qint64 jobs = 10'000;
    qint64 events = 2'000'000;
    int backends = 8;
    double switchRate = 0.02;
    double failRate = 0.05;
    quint32 seed = 42;
    QString db = QStringLiteral("sqlite:/tmp/stickyboard-bench.db");
};

std::optional<Params> parse(const QStringList &args)
{
    Params p;
    for (qsizetype i = 0; i < args.size(); i += 2) {
        const QString key = args.at(i);
        if (i + 1 >= args.size()) {
            QTextStream(stderr) << "stickyboard-bench: " << key << " needs a value\n";
            return std::nullopt;
        }
        const QString value = args.at(i + 1);
        bool ok = true;
        if (key == QLatin1String("--jobs"))
            p.jobs = value.toLongLong(&ok);
        else if (key == QLatin1String("--events"))
            p.events = value.toLongLong(&ok);
        else if (key == QLatin1String("--backends"))
            p.backends = value.toInt(&ok);
        else if (key == QLatin1String("--switch-rate"))
            p.switchRate = value.toDouble(&ok);
        else if (key == QLatin1String("--fail-rate"))
            p.failRate = value.toDouble(&ok);
        else if (key == QLatin1String("--seed"))
            p.seed = value.toUInt(&ok);
        else if (key == QLatin1String("--db"))
            p.db = value;
        else {
            QTextStream(stderr) << "stickyboard-bench: unknown option " << key << "\n";
            return std::nullopt;
        }
        if (!ok || p.jobs < 1 || p.events < 0 || p.backends < 1) {
            QTextStream(stderr) << "stickyboard-bench: bad value '" << value << "' for " << key
                                << "\n";
            return std::nullopt;
        }
    }
    return p;
}

/// A fresh database: the SQLite file removed, or the PostgreSQL tables emptied.
bool freshDatabase(const DbUrl &url, QString *error)
{
    if (url.kind == DbUrl::Kind::Sqlite) {
        if (!url.inMemory)
            for (const char *suffix : {"", "-wal", "-shm"})
                QFile::remove(url.path + QLatin1String(suffix));
        return true;
    }
    bool ok = true;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("bench-reset"));
        db.setHostName(url.host);
        db.setPort(url.port);
        db.setUserName(url.user);
        db.setPassword(url.password);
        db.setDatabaseName(url.database);
        if (!db.open()) {
            *error = db.lastError().text();
            ok = false;
        } else {
            QSqlQuery q(db);
            // Only when the schema exists already; a new database is fresh anyway.
            q.exec(QStringLiteral("TRUNCATE backend_switches, jobs, workers, backends"));
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("bench-reset"));
    return ok;
}

template <typename T> T await(QFuture<T> future)
{
    future.waitForFinished(); // the store's own thread settles it; nothing here to serve
    return future.result();
}

} // namespace

int runTrackerBench(const QStringList &args)
{
    const std::optional<Params> p = parse(args);
    if (!p)
        return 2;
    QString error;
    const std::optional<DbUrl> url = DbUrl::parse(p->db, &error);
    if (!url) {
        QTextStream(stderr) << "stickyboard-bench: --db: " << error << "\n";
        return 2;
    }
    if (!freshDatabase(*url, &error)) {
        QTextStream(stderr) << "stickyboard-bench: " << url->redacted() << ": " << error << "\n";
        return 3;
    }
    QLoggingCategory::setFilterRules(QStringLiteral("stickyboard.*.info=false\n"
                                                    "stickyboard.tracker.warning=false"));

    JobStore store(*url);
    try {
        store.open().waitForFinished();
    } catch (const QException &e) {
        QTextStream(stderr) << "stickyboard-bench: " << e.what() << "\n";
        return 3;
    }
    FaultInjector injector(&store, p->seed + 1);
    if (p->failRate > 0)
        injector.apply(QStringLiteral("fail-rate=%1,seed=%2").arg(p->failRate).arg(p->seed + 1),
                       &error);
    TrackerTable tracker(&injector);

    const double rssBefore = currentRssMb();
    QList<quint32> jobs(p->jobs);
    for (qint64 j = 0; j < p->jobs; ++j)
        jobs[j] = tracker.addJob(QStringLiteral("job-%1").arg(j), QStringLiteral("w%1").arg(j % 64),
                                 QString());
    QList<quint32> backends(p->backends);
    for (int b = 0; b < p->backends; ++b)
        backends[b] = tracker.internBackend(QStringLiteral("backend-%1").arg(b));
    const double rssJobs = currentRssMb();

    Mulberry32 rng(p->seed);
    QList<qint32> truth(p->jobs, -1);
    const auto J = double(p->jobs);
    const int B = p->backends;

    const quint32 *jobIndex = jobs.constData();
    const quint32 *backendIndex = backends.constData();
    qint32 *truthOf = truth.data();
    QElapsedTimer clock;
    clock.start();
    for (qint64 i = 0; i < p->events; ++i) {
        // floor() of a non-negative double is its truncation: no libm call in the loop.
        const auto j = qsizetype(rng.next() * J);
        qint32 &t = truthOf[j];
        if (t < 0 || rng.next() < p->switchRate)
            t = qint32((t + 1 + qint64(rng.next() * (B - 1))) % B);
        tracker.onEvent(jobIndex[j], backendIndex[t]);
        // Let completions in now and then, as any real event source would.
        if ((i & 0xffff) == 0xffff)
            QCoreApplication::processEvents();
    }
    tracker.flush();
    if (tracker.writesInFlight() > 0) {
        QEventLoop loop;
        QObject::connect(&tracker, &TrackerTable::settled, &loop, &QEventLoop::quit);
        loop.exec();
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;

    const QHash<QString, QString> db = await(store.readJobBackends());
    qint64 mismatch = 0;
    qint64 stale = 0;
    for (qint64 j = 0; j < p->jobs; ++j) {
        const QString &id = tracker.jobId(jobs[j]);
        const QString inDb = db.value(id);
        if (tracker.preferredBackend(jobs[j]) != inDb)
            ++mismatch;
        const qint32 t = truth[j];
        if (t >= 0 && inDb != tracker.backendText(backends[t]))
            ++stale;
    }

    const auto &c = tracker.counters();
    const JobStore::Stats stats = store.stats();
    const QJsonObject out{
        {QStringLiteral("impl"), QStringLiteral("stickyboard")},
        {QStringLiteral("db"), url->kind == DbUrl::Kind::Sqlite ? QStringLiteral("sqlite")
                                                                : QStringLiteral("postgresql")},
        {QStringLiteral("jobs"), p->jobs},
        {QStringLiteral("events"), p->events},
        {QStringLiteral("persisted"), qint64(c.succeeded)},
        {QStringLiteral("failed"), qint64(c.failed)},
        {QStringLiteral("mismatch"), mismatch},
        {QStringLiteral("stale"), stale},
        {QStringLiteral("seconds"), std::round(seconds * 1000) / 1000},
        {QStringLiteral("events_per_s"), qint64(double(p->events) / seconds)},
        {QStringLiteral("persisted_per_s"), qint64(double(c.succeeded) / seconds)},
        {QStringLiteral("transactions"), qint64(stats.transactions)},
        {QStringLiteral("largest_group"), qint64(stats.largestGroup)},
        {QStringLiteral("core_bytes_per_job"),
         qint64((rssJobs - rssBefore) * 1024 * 1024 / double(p->jobs))},
        {QStringLiteral("peak_rss_mb"), std::round(peakRssMb() * 10) / 10},
    };
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Compact) << "\n";
    return mismatch == 0 ? 0 : 1;
}
