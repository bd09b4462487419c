#include "ObserveBench.h"

#include "ObserveWriter.h"
#include "Percentile.h"
#include "ProcessMemory.h"
#include "RenderLoopTiming.h"

#include "Services.h"
#include "models/ChangeFeed.h"
#include "observe/ObservationIntake.h"
#include "session/Session.h"
#include "store/DbUrl.h"
#include "store/StoreConnection.h"
#include "tracker/TrackerTable.h"

#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <chrono>
#include <cmath>
#include <optional>
#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace {

const QString Table = u"bench_observe_jobs"_s;
const QString SetupConnection = u"bench-observe-setup"_s;
constexpr int Workers = 500;
constexpr int Backends = 8;
constexpr int WarmupMs = 3000; ///< first frames build every delegate; not measured

struct Params {
    double seconds = 20;
    double rate = 20'000;
    int jobs = 100'000;
    double staleShare = 0.01;
    QString db = qEnvironmentVariable("STICKYBOARD_TEST_PG_URL");
};

std::optional<Params> parse(const QStringList &args, QString *error)
{
    Params p;
    for (qsizetype i = 0; i < args.size(); i += 2) {
        const QString &key = args.at(i);
        if (i + 1 >= args.size()) {
            *error = key + u" needs a value"_s;
            return std::nullopt;
        }
        const QString &v = args.at(i + 1);
        bool ok = false;
        if (key == u"--seconds") {
            p.seconds = v.toDouble(&ok);
            ok = ok && p.seconds > 0;
        } else if (key == u"--rate") {
            p.rate = v.toDouble(&ok);
            ok = ok && p.rate > 0;
        } else if (key == u"--jobs") {
            p.jobs = v.toInt(&ok);
            ok = ok && p.jobs > 0;
        } else if (key == u"--stale-share") {
            p.staleShare = v.toDouble(&ok);
            ok = ok && p.staleShare >= 0 && p.staleShare <= 1;
        } else if (key == u"--db") {
            p.db = v;
            ok = !v.isEmpty();
        } else {
            *error = u"unknown option "_s + key;
            return std::nullopt;
        }
        if (!ok) {
            *error = u"bad value for %1: %2"_s.arg(key, v);
            return std::nullopt;
        }
    }
    if (p.db.isEmpty()) {
        *error = u"no database: give --db postgresql://… (or sqlite:FILE), or set "
                 "STICKYBOARD_TEST_PG_URL"_s;
        return std::nullopt;
    }
    return p;
}

bool failed(const QSqlError &sqlError, const DbUrl &url, QString *error)
{
    *error = StoreConnection::describe(sqlError, url);
    return false;
}

/// Drops the bench's own table, then (unless `dropOnly`) creates it with `jobs` rows: job j
/// on worker-<j % Workers>, backend-<j % Backends>.
bool prepareTable(const DbUrl &url, int jobs, bool dropOnly, QString *error)
{
    StoreConnection::Settings settings;
    settings.url = url;
    settings.applicationName = u"stickyboard-bench"_s;
    if (!StoreConnection::open(SetupConnection, settings, error))
        return false;
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::database(SetupConnection, false);
        QSqlQuery q(db);
        ok = q.exec(u"DROP TABLE IF EXISTS %1"_s.arg(Table)) || failed(q.lastError(), url, error);
        if (ok && !dropOnly) {
            ok = (q.exec(u"CREATE TABLE %1 (id TEXT PRIMARY KEY, worker_id TEXT, "
                         "last_backend_id TEXT, updated_at TEXT)"_s.arg(Table)) &&
                  q.prepare(u"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                            "WHERE i + 1 < ?) INSERT INTO %1 SELECT 'job-' || i, 'worker-' || "
                            "(i % %2), 'backend-' || (i % %3), '2026-01-01T00:00:00.000Z' "
                            "FROM n"_s.arg(Table)
                                .arg(Workers)
                                .arg(Backends))) ||
                 failed(q.lastError(), url, error);
            if (ok) {
                q.addBindValue(jobs);
                ok = q.exec() || failed(q.lastError(), url, error);
            }
        }
    }
    StoreConnection::close(SetupConnection);
    return ok;
}

double cpuSeconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void wait(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

/// Lines the followed file has delivered to the intake so far.
quint64 linesConsumed(const ObservationIntake *intake)
{
    for (const ObservationIntake::Input &input : intake->inputs())
        if (input.kind == u"file")
            return input.lines;
    return 0;
}

double round1(double v)
{
    return std::round(v * 10) / 10;
}

struct Measured {
    QList<double> latencyMs;
    QList<double> toBatchMs; ///< append to the change feed's batch: the part before the frame
    QList<double> frameMs;
    double wallS = 0, cpuS = 0, writerCpuS = 0;
    quint64 written = 0, observations = 0, backlog = 0;
    qint64 badLines = 0;
    qsizetype staleAtEnd = 0;
};

/// The session, the window and the load; 0, or 3 with `error`.
int measure(const Params &p, const DbUrl &url, Measured *m, QString *error)
{
    QTemporaryDir dir;
    const QString log = dir.filePath(u"gateway.log"_s);
    if (QFile f(log); !f.open(QIODevice::WriteOnly)) {
        *error = u"cannot create %1"_s.arg(log);
        return 3;
    }
    Session::Options options;
    options.mode = Session::Mode::Watch;
    options.watch.setTable(Table, error);
    options.watch.setColumns(u"id,last_backend_id,worker_id"_s, error);
    options.observeFiles = {log};
    options.observeMap = ObserveWriter::observeMap();
    options.maxJobs = std::max<qint64>(options.maxJobs, p.jobs);
    Session session(options, url);
    QEventLoop startup;
    QObject::connect(&session, &Session::ready, &startup, &QEventLoop::quit);
    QObject::connect(&session, &Session::failed, &startup, [&](const QString &message) {
        *error = message;
        startup.quit();
    });
    session.start();
    startup.exec();
    if (!error->isEmpty())
        return 3;

    // Lanes with pets above, the job table below: both on screen, as the ui bench has them.
    QSettings().setValue(u"ui/viewMode"_s, u"split"_s);
    QSettings().setValue(u"ui/sidePanel"_s, true);
    Services services(nullptr);
    Services::setCurrent(&services);
    services.attach(&session);
    QQmlApplicationEngine engine;
    engine.addImportPath(u"qrc:/"_s); // as the app does (Gui.cpp)
    engine.load(QUrl(u"qrc:/Stickyboard/Ui/Main.qml"_s));
    if (engine.rootObjects().isEmpty()) {
        *error = u"the window did not load"_s;
        return 3;
    }
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    // Observation to screen: a line waits until the intake has read it and the change feed's
    // next batch carried what it changed, then for the next frame; its latency ends when
    // that frame is swapped. The intake reads the file in order, so every line it has
    // consumed when a batch goes out is in that batch (or changed nothing).
    ObserveWriter::Params load;
    load.path = log;
    load.rate = p.rate;
    load.jobs = p.jobs;
    load.workers = Workers;
    load.backends = Backends;
    load.staleShare = p.staleShare;
    ObserveWriter writer(load);
    const ObservationIntake *intake = session.observations();
    QList<qint64> waitingForFrame;
    QObject probe; // goes first, and its connections with it: nothing here outlives them
    QObject::connect(session.feed(), &ChangeFeed::batch, &probe, [&] {
        const qsizetype before = waitingForFrame.size();
        writer.takeSentBefore(linesConsumed(intake), &waitingForFrame);
        const qint64 now = steadyNs(); // the part before the frame: read, apply, feed
        for (qsizetype i = before; i < waitingForFrame.size(); ++i)
            m->toBatchMs.append(double(now - waitingForFrame.at(i)) / 1e6);
    });
    QObject::connect(window, &QQuickWindow::frameSwapped, &probe, [&] {
        const qint64 now = steadyNs();
        for (const qint64 t : std::as_const(waitingForFrame))
            m->latencyMs.append(double(now - t) / 1e6);
        waitingForFrame.clear();
    });

    if (!writer.start(error))
        return 3;
    wait(WarmupMs);
    m->latencyMs.clear();
    m->toBatchMs.clear();
    RenderLoopTiming::clear();
    const quint64 writtenBefore = writer.linesWritten();
    const quint64 observationsBefore = session.tracker()->counters().observations;
    const double cpuBefore = cpuSeconds();
    const double writerCpuBefore = writer.cpuSeconds();
    const qint64 wallBefore = steadyNs();
    wait(int(p.seconds * 1000));
    m->wallS = double(steadyNs() - wallBefore) / 1e9;
    m->cpuS = cpuSeconds() - cpuBefore;
    m->observations = session.tracker()->counters().observations - observationsBefore;
    m->writerCpuS = writer.cpuSeconds() - writerCpuBefore;
    m->frameMs = RenderLoopTiming::frames();
    writer.stop();
    m->written = writer.linesWritten() - writtenBefore;
    m->backlog = writer.linesWritten() - linesConsumed(intake);
    m->badLines = intake->badLines();
    m->staleAtEnd = session.tracker()->staleCount();
    session.observations()->stop();
    return 0;
}

void print(QTextStream &out, const char *what, double value, const char *unit)
{
    out << QString::fromLatin1(what).leftJustified(34)
        << u"%1 %2\n"_s.arg(value, 10, 'f', 1).arg(QLatin1String(unit));
}

} // namespace

int runObserveBench(const QStringList &args)
{
    QString error;
    const std::optional<Params> p = parse(args, &error);
    // DbUrl's message names the option and the accepted forms itself.
    const std::optional<DbUrl> url = p ? DbUrl::parse(p->db, &error) : std::nullopt;
    if (!url) {
        QTextStream(stderr) << "stickyboard-bench observe: " << error << "\n";
        return 2;
    }
    QLoggingCategory::setFilterRules(u"stickyboard.*.info=false\n"
                                     "stickyboard.tracker.warning=false\n"
                                     "qt.scenegraph.time.renderloop=true"_s);
    RenderLoopTiming::install();
    QQuickStyle::setStyle(u"Fusion"_s);
    const bool pg = url->kind == DbUrl::Kind::Postgres;
    QTextStream(stderr) << "observe: " << p->jobs << " jobs in " << Table << " on "
                        << (pg ? "PostgreSQL" : "SQLite") << ", " << p->rate
                        << " observations/s for " << p->seconds << " s (after " << WarmupMs
                        << " ms warm-up), stale share " << p->staleShare << "\n";

    Measured m;
    int code = prepareTable(*url, p->jobs, false, &error) ? measure(*p, *url, &m, &error) : 3;
    RenderLoopTiming::uninstall();
    QString dropError;
    if (!prepareTable(*url, p->jobs, true, &dropError) && code == 0)
        QTextStream(stderr) << "stickyboard-bench observe: could not drop " << Table << ": "
                            << dropError << "\n";
    if (code != 0) {
        QTextStream(stderr) << "stickyboard-bench observe: " << error << "\n";
        return code;
    }

    const double cpuPerS = m.cpuS / m.wallS;
    const double writerPerS = m.writerCpuS / m.wallS;
    QTextStream out(stdout);
    print(out, "observation->screen p50", percentile(m.latencyMs, 50), "ms");
    print(out, "observation->screen p99", percentile(m.latencyMs, 99), "ms");
    print(out, "observation->screen max", percentile(m.latencyMs, 100), "ms");
    print(out, "  of it until the feed's batch p50", percentile(m.toBatchMs, 50), "ms");
    print(out, "  of it until the feed's batch p99", percentile(m.toBatchMs, 99), "ms");
    print(out, "observations sent/s", double(m.written) / m.wallS, "/s");
    print(out, "observations applied/s", double(m.observations) / m.wallS, "/s");
    print(out, "lines not yet read at the end", double(m.backlog), "lines");
    print(out, "bad lines", double(m.badLines), "lines");
    print(out, "stale jobs at the end", double(m.staleAtEnd), "jobs");
    print(out, "CPU (user+sys) per wall second", cpuPerS, "s/s");
    print(out, "  of it the writer thread", writerPerS, "s/s");
    print(out, "peak RSS", peakRssMb(), "MiB");
    print(out, "frame p50", percentile(m.frameMs, 50), "ms");
    print(out, "frame p99", percentile(m.frameMs, 99), "ms");
    print(out, "frame max", percentile(m.frameMs, 100), "ms");
    const QJsonObject json{
        {u"bench"_s, u"observe"_s},
        {u"db"_s, pg ? u"postgresql"_s : u"sqlite"_s},
        {u"platform"_s, QGuiApplication::platformName()},
        {u"seconds"_s, round1(m.wallS)},
        {u"jobs"_s, p->jobs},
        {u"rate"_s, p->rate},
        {u"stale_share"_s, p->staleShare},
        {u"observations_sent_per_s"_s, qint64(double(m.written) / m.wallS)},
        {u"observations_applied_per_s"_s, qint64(double(m.observations) / m.wallS)},
        {u"backlog_lines"_s, qint64(m.backlog)},
        {u"bad_lines"_s, m.badLines},
        {u"stale_jobs_at_end"_s, qint64(m.staleAtEnd)},
        {u"observation_to_screen_ms_p50"_s, round1(percentile(m.latencyMs, 50))},
        {u"observation_to_screen_ms_p99"_s, round1(percentile(m.latencyMs, 99))},
        {u"observation_to_screen_ms_max"_s, round1(percentile(m.latencyMs, 100))},
        {u"observation_to_batch_ms_p50"_s, round1(percentile(m.toBatchMs, 50))},
        {u"observation_to_batch_ms_p99"_s, round1(percentile(m.toBatchMs, 99))},
        {u"cpu_s_per_s"_s, std::round(cpuPerS * 100) / 100},
        {u"writer_cpu_s_per_s"_s, std::round(writerPerS * 100) / 100},
        {u"peak_rss_mb"_s, round1(peakRssMb())},
        {u"frames"_s, m.frameMs.size()},
        {u"frame_ms_p50"_s, percentile(m.frameMs, 50)},
        {u"frame_ms_p99"_s, percentile(m.frameMs, 99)},
        {u"frame_ms_max"_s, percentile(m.frameMs, 100)},
    };
    out << QJsonDocument(json).toJson(QJsonDocument::Compact) << "\n";
    return 0;
}
