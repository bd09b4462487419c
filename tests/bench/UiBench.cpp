#include "UiBench.h"

#include "Percentile.h"
#include "ProcessMemory.h"
#include "RenderLoopTiming.h"

#include "Services.h"
#include "models/ChangeFeed.h"
#include "session/Session.h"
#include "store/DbUrl.h"
#include "tracker/TrackerTable.h"
#include "util/Mulberry32.h"

#include <QElapsedTimer>
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
#include <QTextStream>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

#include <algorithm>
#include <cmath>
#include <deque>

Q_IMPORT_QML_PLUGIN(Stickyboard_UiPlugin)

namespace {

struct Params {
    double seconds = 30;
    int jobs = 100'000;
    int workers = 500;
    int backends = 8;
    int rate = 5000; ///< events per second, in total
    double switchChance = 0.01;
    quint32 seed = 42;
    QString screenshot; ///< save the window at the end, to see what was measured
};

bool parse(const QStringList &args, Params *p)
{
    for (qsizetype i = 0; i + 1 < args.size(); i += 2) {
        const QString key = args.at(i);
        bool ok = true;
        const QString v = args.at(i + 1);
        if (key == QLatin1String("--seconds"))
            p->seconds = v.toDouble(&ok);
        else if (key == QLatin1String("--jobs"))
            p->jobs = v.toInt(&ok);
        else if (key == QLatin1String("--workers"))
            p->workers = v.toInt(&ok);
        else if (key == QLatin1String("--backends"))
            p->backends = v.toInt(&ok);
        else if (key == QLatin1String("--rate"))
            p->rate = v.toInt(&ok);
        else if (key == QLatin1String("--seed"))
            p->seed = v.toUInt(&ok);
        else if (key == QLatin1String("--screenshot"))
            p->screenshot = v;
        else
            ok = false;
        if (!ok) {
            QTextStream(stderr) << "stickyboard-bench ui: bad option " << key << " " << v << "\n";
            return false;
        }
    }
    if (args.size() % 2) {
        QTextStream(stderr) << "stickyboard-bench ui: " << args.last() << " needs a value\n";
        return false;
    }
    return p->jobs >= p->workers && p->workers > 0 && p->backends > 0 && p->rate > 0;
}

} // namespace

int runUiBench(const QStringList &args)
{
    Params p;
    if (!parse(args, &p))
        return 2;
    QLoggingCategory::setFilterRules(QStringLiteral("stickyboard.*.info=false\n"
                                                    "stickyboard.tracker.warning=false\n"
                                                    "qt.scenegraph.time.renderloop=true"));
    RenderLoopTiming::install();
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    QString error;
    Session::Options options;
    options.mode = Session::Mode::Ingest;
    Session session(options, *DbUrl::parse(QStringLiteral("sqlite::memory:"), &error));
    QEventLoop startup;
    QObject::connect(&session, &Session::ready, &startup, &QEventLoop::quit);
    QObject::connect(&session, &Session::failed, &startup, [&](const QString &message) {
        error = message;
        startup.quit();
    });
    session.start();
    startup.exec();
    if (!error.isEmpty()) {
        QTextStream(stderr) << "stickyboard-bench ui: " << error << "\n";
        return 3;
    }

    // 100,000 jobs known to the database; worker w's running job is job w.
    TrackerTable *tracker = session.tracker();
    QList<quint32> backends;
    for (int b = 0; b < p.backends; ++b)
        backends.append(tracker->internBackend(QStringLiteral("backend-%1").arg(b)));
    QList<quint32> jobs;
    for (int j = 0; j < p.jobs; ++j)
        jobs.append(tracker->addJob(QStringLiteral("job-%1").arg(j),
                                    QStringLiteral("worker-%1").arg(j % p.workers),
                                    tracker->backendText(backends.at(j % p.backends))));

    // Lanes with pets above, the job table below: both on screen, as the goal says.
    QSettings().setValue(QStringLiteral("ui/viewMode"), QStringLiteral("split"));
    QSettings().setValue(QStringLiteral("ui/sidePanel"), true);
    Services services(nullptr);
    Services::setCurrent(&services);
    services.attach(&session);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/")); // as the app does (Gui.cpp)
    engine.load(QUrl(QStringLiteral("qrc:/Stickyboard/Ui/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 2;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    // Event-to-screen: an event waits for the change feed's next batch, then for the next
    // frame; its latency ends when that frame is swapped.
    std::deque<qint64> waitingForBatch;
    QList<qint64> waitingForFrame;
    QList<double> latencyMs;
    QElapsedTimer clock;
    clock.start();
    QObject::connect(session.feed(), &ChangeFeed::batch, window, [&] {
        while (!waitingForBatch.empty()) {
            waitingForFrame.append(waitingForBatch.front());
            waitingForBatch.pop_front();
        }
    });
    QObject::connect(window, &QQuickWindow::frameSwapped, window, [&] {
        const qint64 now = clock.nsecsElapsed();
        for (const qint64 t : std::as_const(waitingForFrame))
            latencyMs.append(double(now - t) / 1e6);
        waitingForFrame.clear();
    });

    // The load: `rate` events per second on the running jobs, a few of them switches.
    Mulberry32 rng(p.seed);
    QTimer generator;
    generator.setTimerType(Qt::PreciseTimer);
    generator.setInterval(10);
    qint64 sent = 0;
    QObject::connect(&generator, &QTimer::timeout, [&] {
        const qint64 due = qint64(double(clock.nsecsElapsed()) / 1e9 * p.rate);
        const qint64 now = clock.nsecsElapsed();
        for (; sent < due; ++sent) {
            const auto job = jobs.at(qsizetype(rng.next() * p.workers));
            quint32 backend = tracker->state(job).current;
            if (backend == TrackerTable::None || rng.next() < p.switchChance)
                backend = backends.at(qsizetype(rng.next() * p.backends));
            const bool hit = rng.next() < 0.8;
            tracker->onEvent(job, backend, hit ? QStringLiteral("kv-%1").arg(job) : QString());
            waitingForBatch.push_back(now);
        }
    });

    // Warm up (first frames build every delegate), then measure.
    QEventLoop warmup;
    QTimer::singleShot(2000, &warmup, &QEventLoop::quit);
    generator.start();
    warmup.exec();
    RenderLoopTiming::clear();
    latencyMs.clear();
    const qint64 sentBefore = sent;
    QEventLoop run;
    QTimer::singleShot(int(p.seconds * 1000), &run, &QEventLoop::quit);
    run.exec();
    generator.stop();
    const qint64 eventsSent = sent - sentBefore;
    if (!p.screenshot.isEmpty())
        window->grabWindow().save(p.screenshot);

    const QJsonObject out{
        {QStringLiteral("bench"), QStringLiteral("ui")},
        {QStringLiteral("platform"), QGuiApplication::platformName()},
        {QStringLiteral("seconds"), p.seconds},
        {QStringLiteral("jobs"), p.jobs},
        {QStringLiteral("pets"), p.workers},
        {QStringLiteral("events"), eventsSent},
        {QStringLiteral("events_per_s"), qint64(double(eventsSent) / p.seconds)},
        {QStringLiteral("frames"), RenderLoopTiming::frames().size()},
        {QStringLiteral("frame_ms_p50"), percentile(RenderLoopTiming::frames(), 50)},
        {QStringLiteral("frame_ms_p99"), percentile(RenderLoopTiming::frames(), 99)},
        {QStringLiteral("frame_ms_max"), percentile(RenderLoopTiming::frames(), 100)},
        {QStringLiteral("event_to_screen_ms_p50"), percentile(latencyMs, 50)},
        {QStringLiteral("event_to_screen_ms_p99"), percentile(latencyMs, 99)},
        {QStringLiteral("peak_rss_mb"), std::round(peakRssMb() * 10) / 10},
    };
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Compact) << "\n";
    RenderLoopTiming::uninstall();
    return 0;
}
