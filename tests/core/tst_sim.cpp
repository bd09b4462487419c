// The gateway simulation on virtual time: stickiness, fallback on offline and saturated
// backends, hit/miss, job turnover, determinism and scenarios.
#include "sim/GatewaySim.h"

#include <QCryptographicHash>
#include <QHash>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>

using Options = GatewaySim::Options;

namespace {
struct Event {
    QString job, worker, backend, cacheKey;
    QString preferred; ///< the tracker's value when the request was sent
    double at = 0;     ///< virtual time
};

/// The simulation with a tracker stand-in whose writes always succeed: each event's
/// backend becomes the job's preferred backend at once.
struct Rig {
    GatewaySim sim;
    QHash<QString, QString> tracker;
    QList<Event> events;
    QHash<QString, int> switches; ///< per job: events that moved it off a known backend

    explicit Rig(Options options = {}) : sim(options)
    {
        sim.setPreferredBackend([this](const QString &job) { return tracker.value(job); });
        QObject::connect(&sim, &GatewaySim::event,
                         [this](const QString &job, const QString &worker, const QString &backend,
                                const QString &cacheKey) {
                             const QString preferred = tracker.value(job);
                             if (!preferred.isNull() && preferred != backend)
                                 ++switches[job];
                             events.append({job, worker, backend, cacheKey, preferred, sim.now()});
                             tracker.insert(job, backend);
                         });
    }
    void run(double seconds, double step = 0.05)
    {
        for (qint64 i = 0, n = qRound64(seconds / step); i < n; ++i)
            sim.advance(step);
    }
    int totalSwitches() const
    {
        int n = 0;
        for (const int s : switches)
            n += s;
        return n;
    }
    QSet<QString> jobsOn(const QString &backend) const
    {
        QSet<QString> out;
        for (const SimJobInfo &j : sim.runningJobs()) {
            if (j.backendId == backend)
                out.insert(j.jobId);
        }
        return out;
    }
    BackendInfo backend(const QString &id) const
    {
        for (const BackendInfo &b : sim.backends()) {
            if (b.id == id)
                return b;
        }
        return {};
    }
};

/// Jobs that never finish, so "which jobs moved" is not blurred by turnover.
Options longJobs(int jobs, int backends)
{
    Options o;
    o.jobs = o.workers = jobs;
    o.backends = backends;
    o.meanRequests = 1e9;
    return o;
}

QByteArray runDigest(quint32 seed, double step)
{
    Options o;
    o.seed = seed;
    o.meanRequests = 10;
    Rig rig(o);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QObject::connect(
        &rig.sim, &GatewaySim::backendStateChanged,
        [&](const QString &b, const QString &s) { hash.addData(QString(b + s).toUtf8()); });
    rig.run(30, step);
    rig.sim.runScenario(QStringLiteral("flapping"));
    rig.run(60, step);
    for (const Event &e : std::as_const(rig.events)) {
        const QString at = QString::number(e.at, 'g', 17);
        hash.addData(QStringList{at, e.job, e.worker, e.backend, e.cacheKey}.join(u'|').toUtf8());
    }
    for (const BackendInfo &b : rig.sim.backends())
        hash.addData(QString::number(b.kvCacheUse, 'g', 17).toUtf8());
    return hash.result();
}
} // namespace

class TestSim : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void healthyFleetNeverSwitches_data();
    void healthyFleetNeverSwitches();
    void offlineMovesExactlyItsJobsOnce();
    void removedBackendMovesItsJobs();
    void manualSaturationMovesRequestsAway();
    void overloadSaturatesAndRelieves();
    void everyBackendOfflineFailsRequests();
    void sameSeedSameRun();
    void jobsFinishAndAreReplaced();
    void hitsCarryKeysMissesDoNot();
    void restartLosesTheCache();
    void timerDrivesVirtualTime();
    void scenarioRunsAndBringsBackendsBack_data();
    void scenarioRunsAndBringsBackendsBack();
    void stopScenarioBringsBackendsBack();
};

void TestSim::healthyFleetNeverSwitches_data()
{
    QTest::addColumn<int>("jobs");
    QTest::addColumn<int>("workers");
    QTest::addColumn<int>("backends");
    QTest::addColumn<quint32>("seed");
    QTest::addRow("defaults") << 24 << 8 << 4 << quint32(42);
    QTest::addRow("bigger fleet") << 400 << 40 << 8 << quint32(7);
    QTest::addRow("one backend") << 10 << 4 << 1 << quint32(1);
}

void TestSim::healthyFleetNeverSwitches()
{
    QFETCH(int, jobs);
    QFETCH(int, workers);
    QFETCH(int, backends);
    QFETCH(quint32, seed);
    Options o;
    o.jobs = jobs;
    o.workers = workers;
    o.backends = backends;
    o.seed = seed;
    Rig rig(o);
    QSignalSpy states(&rig.sim, &GatewaySim::backendStateChanged);
    rig.run(1200, 0.25);

    QVERIFY2(rig.events.size() > 1000 * workers / 2,
             qPrintable(QString::number(rig.events.size())));
    QVERIFY(rig.sim.counters().jobsFinished > quint64(jobs)); // new jobs resolved too
    QCOMPARE(rig.totalSwitches(), 0);
    QCOMPARE(states.count(), 0);
    QSet<QString> used;
    for (const Event &e : std::as_const(rig.events))
        used.insert(e.backend);
    QCOMPARE(used.size(), backends); // first resolutions spread over the fleet
}

void TestSim::offlineMovesExactlyItsJobsOnce()
{
    Rig rig(longJobs(16, 4));
    rig.run(20);
    QCOMPARE(rig.totalSwitches(), 0);
    const QSet<QString> onIt = rig.jobsOn(QStringLiteral("backend-1"));
    QVERIFY(!onIt.isEmpty());
    const qsizetype before = rig.events.size();

    QVERIFY(rig.sim.takeOffline(QStringLiteral("backend-1")));
    QCOMPARE(rig.backend(QStringLiteral("backend-1")).state, QStringLiteral("offline"));
    rig.run(30);

    QCOMPARE(QSet<QString>(rig.switches.keyBegin(), rig.switches.keyEnd()), onIt);
    for (auto it = rig.switches.cbegin(); it != rig.switches.cend(); ++it)
        QCOMPARE(it.value(), 1);
    for (qsizetype i = before; i < rig.events.size(); ++i)
        QVERIFY(rig.events[i].backend != QLatin1String("backend-1"));
    QVERIFY(rig.jobsOn(QStringLiteral("backend-1")).isEmpty());

    // Back online, nobody returns: the moved jobs stick to their new backends.
    rig.sim.bringOnline(QStringLiteral("backend-1"));
    rig.run(30);
    QCOMPARE(rig.totalSwitches(), int(onIt.size()));
}

void TestSim::removedBackendMovesItsJobs()
{
    Rig rig(longJobs(12, 3));
    QSignalSpy removed(&rig.sim, &GatewaySim::backendRemoved);
    rig.run(10);
    const QSet<QString> onIt = rig.jobsOn(QStringLiteral("backend-2"));
    QVERIFY(!onIt.isEmpty());
    QVERIFY(rig.sim.removeBackend(QStringLiteral("backend-2")));
    QCOMPARE(removed.count(), 1);
    rig.run(10);
    QCOMPARE(QSet<QString>(rig.switches.keyBegin(), rig.switches.keyEnd()), onIt);
    QCOMPARE(rig.sim.backends().size(), 2);

    QCOMPARE(rig.sim.addBackend(), QStringLiteral("backend-3")); // names are never reused
    QCOMPARE(rig.backend(QStringLiteral("backend-3")).state, QStringLiteral("online"));
    QVERIFY(!rig.sim.removeBackend(QStringLiteral("backend-2")));
}

void TestSim::manualSaturationMovesRequestsAway()
{
    Rig rig(longJobs(16, 4));
    rig.run(20);
    const QSet<QString> onIt = rig.jobsOn(QStringLiteral("backend-0"));
    QVERIFY(!onIt.isEmpty());
    const qsizetype before = rig.events.size();

    QVERIFY(rig.sim.saturate(QStringLiteral("backend-0")));
    rig.run(20);
    for (qsizetype i = before; i < rig.events.size(); ++i)
        QVERIFY(rig.events[i].backend != QLatin1String("backend-0"));
    const BackendInfo b = rig.backend(QStringLiteral("backend-0"));
    QCOMPARE(b.state, QStringLiteral("saturated")); // held until brought back
    QCOMPARE(b.running, 0);
    QCOMPARE(b.waiting, 0);
    QCOMPARE(QSet<QString>(rig.switches.keyBegin(), rig.switches.keyEnd()), onIt);

    rig.sim.bringOnline(QStringLiteral("backend-0"));
    QCOMPARE(rig.backend(QStringLiteral("backend-0")).state, QStringLiteral("online"));
}

void TestSim::overloadSaturatesAndRelieves()
{
    Options o = longJobs(12, 3);
    o.rate = 2;
    o.capacity = 16;
    Rig rig(o);
    rig.run(10);
    const QString hot = QStringLiteral("backend-0");
    const qsizetype jobsBefore = rig.jobsOn(hot).size();
    QVERIFY(jobsBefore >= 2);

    QSignalSpy states(&rig.sim, &GatewaySim::backendStateChanged);
    rig.sim.setCapacity(hot, 1); // its jobs now queue up there
    int maxWaiting = 0;
    for (int i = 0; i < 600; ++i) {
        rig.sim.advance(0.05);
        maxWaiting = std::max(maxWaiting, rig.backend(hot).waiting);
    }
    QVERIFY(maxWaiting > 0);
    QVERIFY(states.contains(QVariantList{hot, QStringLiteral("saturated")}));
    QVERIFY2(rig.jobsOn(hot).size() < jobsBefore, "saturation must move jobs away");
    QVERIFY(rig.totalSwitches() > 0);
    QCOMPARE(rig.backend(hot).waiting, 0);
    for (const QVariantList &change : std::as_const(states))
        QCOMPARE(change.at(0).toString(), hot); // the others had room for the moved jobs
}

void TestSim::everyBackendOfflineFailsRequests()
{
    Rig rig(longJobs(4, 2));
    QSignalSpy failed(&rig.sim, &GatewaySim::requestFailed);
    rig.run(5);
    rig.sim.takeOffline(QStringLiteral("backend-0"));
    rig.sim.takeOffline(QStringLiteral("backend-1"));
    const qsizetype before = rig.events.size();
    rig.run(5);
    QCOMPARE(rig.events.size(), before);
    QVERIFY(failed.count() > 0);
    QCOMPARE(rig.sim.counters().failed, quint64(failed.count()));
}

void TestSim::sameSeedSameRun()
{
    // Binary fractions, so both choppings reach the scenario's start at exactly t = 30.
    const QByteArray a = runDigest(7, 0.0625);
    QCOMPARE(runDigest(7, 0.0625), a);
    QCOMPARE(runDigest(7, 0.5), a); // how virtual time is chopped does not matter
    QVERIFY(runDigest(8, 0.0625) != a);
}

void TestSim::jobsFinishAndAreReplaced()
{
    Options o;
    o.jobs = 20;
    o.workers = 5;
    o.meanRequests = 5;
    o.rate = 2;
    Rig rig(o);
    QHash<QString, QString> jobOfWorker;
    QSet<QString> finished;
    QObject::connect(&rig.sim, &GatewaySim::jobStarted, [&](const QString &j, const QString &w) {
        QVERIFY2(!jobOfWorker.contains(w), qPrintable(w + " already runs a job"));
        QVERIFY(!finished.contains(j));
        jobOfWorker.insert(w, j);
    });
    QObject::connect(&rig.sim, &GatewaySim::jobFinished, [&](const QString &j, const QString &w) {
        QCOMPARE(jobOfWorker.take(w), j);
        finished.insert(j);
    });
    QObject::connect(&rig.sim, &GatewaySim::event, [&](const QString &j, const QString &w) {
        QCOMPARE(jobOfWorker.value(w), j); // only the worker's running job sends requests
    });
    for (int i = 0; i < 400; ++i) {
        rig.sim.advance(0.5);
        QCOMPARE(rig.sim.jobCount(), 20);
        QCOMPARE(rig.sim.runningJobs().size(), 5);
    }
    QVERIFY(finished.size() > 100);
    QSet<QString> ids;
    for (const Event &e : std::as_const(rig.events))
        ids.insert(e.job);
    QVERIFY(ids.size() > 100);
}

void TestSim::hitsCarryKeysMissesDoNot()
{
    Options o;
    o.meanRequests = 20;
    Rig rig(o);
    rig.run(120);
    rig.sim.takeOffline(QStringLiteral("backend-0"));
    rig.run(60);

    QSet<QString> seen;
    QHash<QString, QString> keyOf; // job@backend -> key
    quint64 hits = 0;
    for (const Event &e : std::as_const(rig.events)) {
        const bool first = !seen.contains(e.job);
        seen.insert(e.job);
        if (first)
            QVERIFY2(e.cacheKey.isNull(), qPrintable(e.job));
        if (e.backend != e.preferred)
            QVERIFY(e.cacheKey.isNull());
        if (e.cacheKey.isNull())
            continue;
        ++hits;
        QCOMPARE(e.backend, e.preferred);
        const QString where = e.job + u'@' + e.backend;
        QCOMPARE(keyOf.value(where, e.cacheKey), e.cacheKey); // stable for the job there
        keyOf.insert(where, e.cacheKey);
    }
    QCOMPARE(hits, rig.sim.counters().hits);
    QVERIFY(hits > quint64(rig.events.size()) * 8 / 10);
}

void TestSim::restartLosesTheCache()
{
    // A tracker whose writes fail keeps hinting the old backend. Once that backend has
    // restarted, honouring the hint is no longer a hit: the prefix went with the restart.
    GatewaySim sim(longJobs(4, 2));
    QHash<QString, QString> firstBackend;
    QList<Event> events;
    sim.setPreferredBackend([&](const QString &job) { return firstBackend.value(job); });
    QObject::connect(
        &sim, &GatewaySim::event,
        [&](const QString &job, const QString &, const QString &backend, const QString &key) {
            if (!firstBackend.contains(job))
                firstBackend.insert(job, backend); // the only write that succeeds
            events.append({job, {}, backend, key, firstBackend.value(job)});
        });
    for (int i = 0; i < 200; ++i)
        sim.advance(0.05);
    const QString job = events.first().job;
    const QString hinted = firstBackend.value(job);
    QVERIFY(std::any_of(events.cbegin(), events.cend(),
                        [&](const Event &e) { return e.job == job && !e.cacheKey.isNull(); }));
    sim.takeOffline(hinted);
    for (int i = 0; i < 100; ++i)
        sim.advance(0.05);
    sim.bringOnline(hinted);
    const qsizetype back = events.size();
    for (int i = 0; i < 100; ++i)
        sim.advance(0.05);
    const auto firstBack = std::find_if(events.cbegin() + back, events.cend(),
                                        [&](const Event &e) { return e.job == job; });
    QVERIFY(firstBack != events.cend());
    QCOMPARE(firstBack->backend, hinted);
    QVERIFY(firstBack->cacheKey.isNull());
    const auto next =
        std::find_if(firstBack + 1, events.cend(), [&](const Event &e) { return e.job == job; });
    QVERIFY(next != events.cend());
    QVERIFY(!next->cacheKey.isNull()); // warm again
}

void TestSim::timerDrivesVirtualTime()
{
    Options o;
    o.tickMs = 10;
    Rig rig(o);
    rig.sim.setSpeed(20); // 0.2 s of virtual time per tick
    rig.sim.start();
    QVERIFY(rig.sim.isTicking());
    QTRY_VERIFY_WITH_TIMEOUT(rig.events.size() > 20, 10000);
    rig.sim.pause();
    const qsizetype paused = rig.events.size();
    const double at = rig.sim.now();
    QTest::qWait(100);
    QCOMPARE(rig.events.size(), paused);
    QCOMPARE(rig.sim.now(), at);
    rig.sim.resume();
    QTRY_VERIFY(rig.sim.now() > at);
    rig.sim.stop();
    QVERIFY(!rig.sim.isTicking());
}

void TestSim::scenarioRunsAndBringsBackendsBack_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("downState");
    QTest::addColumn<int>("downs"); // times any backend enters downState
    QTest::addRow("rolling restart") << "Rolling restart"
                                     << "offline" << 4;
    QTest::addRow("one saturates") << "one-saturates"
                                   << "saturated" << 1;
    QTest::addRow("flapping") << "flapping"
                              << "offline" << 5;
}

void TestSim::scenarioRunsAndBringsBackendsBack()
{
    QFETCH(QString, name);
    QFETCH(QString, downState);
    QFETCH(int, downs);
    Rig rig(longJobs(16, 4));
    rig.run(10);
    QSignalSpy states(&rig.sim, &GatewaySim::backendStateChanged);
    QSignalSpy finished(&rig.sim, &GatewaySim::scenarioFinished);
    QVERIFY(rig.sim.runScenario(name));
    QVERIFY(!rig.sim.scenario().isEmpty());
    for (int i = 0; i < 200 * 20 && finished.isEmpty(); ++i)
        rig.sim.advance(0.05);
    QCOMPARE(finished.count(), 1);
    QVERIFY(rig.sim.scenario().isEmpty());

    QSet<QString> downed;
    int entered = 0;
    for (const QVariantList &change : std::as_const(states)) {
        if (change.at(1).toString() == downState) {
            ++entered;
            downed.insert(change.at(0).toString());
        }
    }
    QCOMPARE(entered, downs);
    QCOMPARE(downed.size(), downs == 4 ? 4 : 1);
    QVERIFY(rig.totalSwitches() > 0);
    rig.run(5);
    for (const BackendInfo &b : rig.sim.backends())
        QCOMPARE(b.state, QStringLiteral("online"));
    QCOMPARE(rig.sim.counters().failed, quint64(0));
}

void TestSim::stopScenarioBringsBackendsBack()
{
    Rig rig(longJobs(8, 3));
    QVERIFY(!rig.sim.runScenario(QStringLiteral("meteor strike")));
    QVERIFY(rig.sim.runScenario(QStringLiteral("flapping"), QStringLiteral("backend-2")));
    rig.run(1);
    QCOMPARE(rig.backend(QStringLiteral("backend-2")).state, QStringLiteral("offline"));
    rig.sim.stopScenario();
    QCOMPARE(rig.backend(QStringLiteral("backend-2")).state, QStringLiteral("online"));
    rig.run(30); // its remaining steps must not fire
    QCOMPARE(rig.backend(QStringLiteral("backend-2")).state, QStringLiteral("online"));
}

QTEST_GUILESS_MAIN(TestSim)
#include "tst_sim.moc"
