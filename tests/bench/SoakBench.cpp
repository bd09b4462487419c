// stickyboard-bench soak: a whole Session (store on a SQLite file, fault injector, trackers,
// models, event log) under a steady load with failing writes, for many minutes. Memory that
// grows with time, not with the number of jobs, shows up as RSS growth after the first minute.
#include "SoakBench.h"

#include "ProcessMemory.h"

#include "models/EventLogModel.h"

#include "session/Session.h"
#include "sources/EventDispatcher.h"
#include "sources/EventLine.h"
#include "store/DbUrl.h"
#include "tracker/TrackerTable.h"
#include "util/Mulberry32.h"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <cmath>

#include <malloc.h>

#include <sqlite3.h>

namespace {

struct Params {
    double minutes = 10;
    int jobs = 10'000;
    int backends = 8;
    int rate = 5000; ///< events per second, in total
    double failRate = 0.1;
    double switchChance = 0.02;
    quint32 seed = 42;
    QString db = QDir::temp().filePath(QStringLiteral("stickyboard-soak.db"));
};

bool parse(const QStringList &args, Params *p)
{
    if (args.size() % 2) {
        QTextStream(stderr) << "stickyboard-bench soak: " << args.last() << " needs a value\n";
        return false;
    }
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        const QString key = args.at(i);
        const QString v = args.at(i + 1);
        bool ok = true;
        if (key == QLatin1String("--minutes"))
            p->minutes = v.toDouble(&ok);
        else if (key == QLatin1String("--jobs"))
            p->jobs = v.toInt(&ok);
        else if (key == QLatin1String("--backends"))
            p->backends = v.toInt(&ok);
        else if (key == QLatin1String("--rate"))
            p->rate = v.toInt(&ok);
        else if (key == QLatin1String("--fail-rate"))
            p->failRate = v.toDouble(&ok);
        else if (key == QLatin1String("--seed"))
            p->seed = v.toUInt(&ok);
        else if (key == QLatin1String("--db"))
            p->db = v;
        else
            ok = false;
        if (!ok) {
            QTextStream(stderr) << "stickyboard-bench soak: bad option " << key << " " << v << "\n";
            return false;
        }
    }
    return std::isfinite(p->minutes) && p->minutes > 0 && p->jobs > 0 && p->backends > 0 &&
           p->rate > 0 && p->failRate >= 0 && p->failRate <= 1;
}

} // namespace

int runSoakBench(const QStringList &args)
{
    Params p;
    if (!parse(args, &p))
        return 2;
    QLoggingCategory::setFilterRules(QStringLiteral("stickyboard.*.info=false\n"
                                                    "stickyboard.tracker.warning=false"));
    // A file name is a fresh SQLite file; a postgresql:// URL is used as it is.
    const bool postgres = p.db.startsWith(QLatin1String("postgresql://"));
    for (const char *suffix : {"", "-wal", "-shm"})
        if (!postgres)
            QFile::remove(p.db + QLatin1String(suffix));

    QString error;
    Session::Options options;
    options.mode = Session::Mode::Ingest;
    const std::optional<DbUrl> url =
        DbUrl::parse(postgres ? p.db : QStringLiteral("sqlite:") + p.db, &error);
    if (!url) {
        QTextStream(stderr) << "stickyboard-bench soak: --db: " << error << "\n";
        return 2;
    }
    Session session(options, *url);
    QEventLoop startup;
    QObject::connect(&session, &Session::ready, &startup, &QEventLoop::quit);
    QObject::connect(&session, &Session::failed, &startup, [&](const QString &message) {
        error = message;
        startup.quit();
    });
    session.start();
    startup.exec();
    if (!error.isEmpty()) {
        QTextStream(stderr) << "stickyboard-bench soak: " << error << "\n";
        return 3;
    }
    if (!session.applyFault(QStringLiteral("fail-rate=%1,seed=%2").arg(p.failRate).arg(p.seed),
                            &error)) {
        QTextStream(stderr) << "stickyboard-bench soak: " << error << "\n";
        return 2;
    }

    // Events go through the dispatcher, as every source's lines do.
    QStringList jobIds, workerIds, backendIds;
    for (int j = 0; j < p.jobs; ++j) {
        jobIds.append(QStringLiteral("job-%1").arg(j));
        workerIds.append(QStringLiteral("worker-%1").arg(j % 500));
    }
    for (int b = 0; b < p.backends; ++b)
        backendIds.append(QStringLiteral("backend-%1").arg(b));
    QList<int> onBackend(p.jobs, -1);
    Mulberry32 rng(p.seed);
    QElapsedTimer clock;
    clock.start();
    qint64 sent = 0;
    QTimer generator;
    generator.setTimerType(Qt::PreciseTimer);
    generator.setInterval(10);
    QObject::connect(&generator, &QTimer::timeout, [&] {
        const qint64 due = qint64(double(clock.nsecsElapsed()) / 1e9 * p.rate);
        for (; sent < due; ++sent) {
            const int job = int(rng.next() * p.jobs);
            if (onBackend[job] < 0 || rng.next() < p.switchChance)
                onBackend[job] = int(rng.next() * p.backends);
            const bool hit = rng.next() < 0.8;
            session.dispatcher()->dispatch(
                EventLine::event(jobIds.at(job), workerIds.at(job), backendIds.at(onBackend[job]),
                                 hit ? QStringLiteral("kv-%1").arg(job) : QString()));
        }
    });

    QJsonArray perMinute;
    QTextStream err(stderr);
    // The goal is judged on all of RSS. SQLite's own heap (its page cache, bounded by the
    // store's cache_size) and malloc's view (in use, and free but kept) are shown beside it
    // to tell where growth comes from (the same libsqlite3 as Qt's driver).
    const auto round1 = [](double mb) { return std::round(mb * 10) / 10; };
    const auto sample = [&](int minute) {
        const auto &c = session.tracker()->counters();
        const struct mallinfo2 mi = mallinfo2();
        const double heapUsed = double(mi.uordblks + mi.hblkhd) / (1024.0 * 1024.0);
        const double heapFree = double(mi.fordblks) / (1024.0 * 1024.0);
        const double rss = currentRssMb();
        const double sqlite = double(sqlite3_memory_used()) / (1024.0 * 1024.0);
        perMinute.append(
            QJsonObject{{QStringLiteral("minute"), minute},
                        {QStringLiteral("rss_mb"), round1(rss)},
                        {QStringLiteral("sqlite_mb"), round1(sqlite)},
                        {QStringLiteral("rss_without_sqlite_mb"), round1(rss - sqlite)},
                        {QStringLiteral("malloc_in_use_mb"), round1(heapUsed)},
                        {QStringLiteral("malloc_free_mb"), round1(heapFree)},
                        {QStringLiteral("event_log_rows"), session.eventLog()->rowCount()},
                        {QStringLiteral("events"), qint64(c.events)},
                        {QStringLiteral("failed"), qint64(c.failed)}});
        err << "minute " << minute << ": RSS " << QString::number(rss, 'f', 1) << " MiB ("
            << QString::number(sqlite, 'f', 1) << " MiB of it SQLite's heap), malloc in use "
            << QString::number(heapUsed, 'f', 1) << " free " << QString::number(heapFree, 'f', 1)
            << " MiB, " << c.events << " events, " << c.succeeded << " writes ok, " << c.failed
            << " failed, " << session.tracker()->writesInFlight() << " in flight, "
            << session.eventLog()->rowCount() << " event log rows\n"
            << Qt::flush;
    };
    const int minutes = int(std::ceil(p.minutes));
    int minute = 0;
    QTimer sampler;
    QEventLoop run;
    QObject::connect(&sampler, &QTimer::timeout, [&] {
        sample(++minute);
        if (minute >= minutes)
            run.quit();
    });
    sample(0);
    generator.start();
    sampler.start(int(p.minutes * 60'000 / minutes));
    run.exec();
    generator.stop();

    const auto growthOf = [&](const char *key) {
        const double first = perMinute.at(1).toObject().value(QLatin1String(key)).toDouble();
        const double last = perMinute.last().toObject().value(QLatin1String(key)).toDouble();
        return first > 0 ? std::round((last - first) / first * 10'000) / 100 : 0.0;
    };
    const double growth = growthOf("rss_mb");
    const double withoutSqlite = growthOf("rss_without_sqlite_mb");
    const auto &c = session.tracker()->counters();
    const double seconds = double(clock.elapsed()) / 1000.0;
    const QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("soak")},
        {QStringLiteral("minutes"), p.minutes},
        {QStringLiteral("jobs"), p.jobs},
        {QStringLiteral("fail_rate"), p.failRate},
        {QStringLiteral("events"), qint64(c.events)},
        {QStringLiteral("events_per_s"), qint64(double(c.events) / seconds)},
        {QStringLiteral("writes_succeeded"), qint64(c.succeeded)},
        {QStringLiteral("writes_failed"), qint64(c.failed)},
        {QStringLiteral("rss_mb"), perMinute},
        {QStringLiteral("rss_growth_after_minute_1_percent"), growth},
        {QStringLiteral("rss_without_sqlite_growth_after_minute_1_percent"), withoutSqlite},
        {QStringLiteral("growth_ok"), growth <= 5.0},
    };
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Compact) << "\n";
    return growth <= 5.0 ? 0 : 1;
}
