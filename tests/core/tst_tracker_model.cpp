// Randomized model-based test of the tracker: random events, flushes and write outcomes
// (settled in random order across batches and jobs), checked after every step against a
// small reference model of the rule. Seed: STICKYBOARD_TRACKER_SEED, steps:
// STICKYBOARD_TRACKER_STEPS; a failure names both, so it can be replayed.
#include "FakePersistTarget.h"
#include "tracker/TrackerTable.h"

#include <QLoggingCategory>
#include <QSet>
#include <QTest>

#include <random>

namespace {
constexpr quint32 None = TrackerTable::None;
constexpr int JobCount = 6;
constexpr int BackendCount = 4;

/// What the rule says one job's state must be.
struct ModelJob {
    quint32 db = None;       ///< last value written successfully (or the initial one)
    quint32 observed = None; ///< newest event's backend
    QString cacheKey;
    quint32 inflight = None; ///< write started (queued or handed out) and not settled
    bool eventWhileInFlight = false;
    bool handedOut = false; ///< the fake holds its write
    bool failedSinceSuccess = false;
};

quint64 envNumber(const char *name, quint64 fallback)
{
    bool ok = false;
    const quint64 value = qEnvironmentVariable(name).toULongLong(&ok);
    return ok ? value : fallback;
}

class Model {
public:
    Model(TrackerTable &t, FakePersistTarget &fake) : m_t(t), m_fake(fake) {}

    QList<ModelJob> jobs;
    QSet<quint32> changed; ///< jobs the change feed must report
    quint64 events = 0, succeeded = 0, failed = 0, switches = 0, recovered = 0;

    void event(quint32 j, quint32 b, const QString &cacheKey)
    {
        ModelJob &m = jobs[j];
        ++events;
        if (m.observed != b || m.cacheKey != cacheKey)
            changed.insert(j);
        m.observed = b;
        m.cacheKey = cacheKey;
        if (m.inflight != None)
            m.eventWhileInFlight = true;
        else if (b != m.db)
            start(j);
        m_t.onEvent(j, b, cacheKey);
    }

    /// Settles one handed-out call with the given outcomes, model first.
    void complete(qsizetype call, const QList<bool> &ok)
    {
        const QList<PersistWrite> writes = m_fake.writes(call);
        for (qsizetype i = 0; i < writes.size(); ++i) {
            const quint32 j = m_t.findJob(writes[i].jobId);
            ModelJob &m = jobs[j];
            m.handedOut = false;
            changed.insert(j);
            if (ok[i]) {
                switches += m.db != None;
                recovered += std::exchange(m.failedSinceSuccess, false);
                m.db = m.inflight;
                ++succeeded;
            } else {
                m.failedSinceSuccess = true;
                ++failed;
            }
            m.inflight = None;
            if (std::exchange(m.eventWhileInFlight, false) && m.observed != m.db)
                start(j);
        }
        m_fake.complete(call, ok);
    }

    /// Checks writes the fake received since the last call; empty when all is well.
    QString takeNewCalls()
    {
        for (; m_seenCalls < m_fake.callCount(); ++m_seenCalls) {
            for (const PersistWrite &w : m_fake.writes(m_seenCalls)) {
                const quint32 j = m_t.findJob(w.jobId);
                ModelJob &m = jobs[j];
                if (m.handedOut)
                    return u"second write in flight for %1"_qs.arg(w.jobId);
                if (m.inflight == None || m_t.findBackend(w.toBackend) != m.inflight)
                    return u"%1: unexpected write to %2"_qs.arg(w.jobId, w.toBackend);
                if (w.fromBackend != m_t.backendText(m.db))
                    return u"%1: write from %2, database holds %3"_qs.arg(w.jobId, w.fromBackend,
                                                                          m_t.backendText(m.db));
                if (w.cacheKey != m.cacheKey && !m.eventWhileInFlight)
                    return u"%1: write carries cache key %2"_qs.arg(w.jobId, w.cacheKey);
                m.handedOut = true;
            }
        }
        return {};
    }

    QString check() const
    {
        qsizetype inFlight = 0;
        for (quint32 j = 0; j < quint32(jobs.size()); ++j) {
            const JobState &s = m_t.state(j);
            const ModelJob &m = jobs[j];
            const QString id = m_t.jobId(j);
            if (s.current != m.db)
                return u"%1: memory %2, last successful write %3"_qs.arg(
                    id, m_t.backendText(s.current), m_t.backendText(m.db));
            if (m_t.backendText(s.current) != m_fake.db().value(id))
                return u"%1: memory %2, database %3"_qs.arg(id, m_t.backendText(s.current),
                                                            m_fake.db().value(id));
            if (s.observed != m.observed)
                return u"%1: observed %2, newest event %3"_qs.arg(id, m_t.backendText(s.observed),
                                                                  m_t.backendText(m.observed));
            if (s.inflight != m.inflight)
                return u"%1: writing %2, expected %3"_qs.arg(id, m_t.backendText(s.inflight),
                                                             m_t.backendText(m.inflight));
            if (m_fake.outstanding(id) > 1)
                return u"%1: %2 writes in flight"_qs.arg(id).arg(m_fake.outstanding(id));
            inFlight += m.inflight != None;
        }
        if (m_t.writesInFlight() != inFlight)
            return u"writesInFlight %1, expected %2"_qs.arg(m_t.writesInFlight()).arg(inFlight);
        return {};
    }

    QString checkChangeFeed()
    {
        const QList<quint32> taken = m_t.takeChangedJobs();
        const QSet<quint32> unique(taken.cbegin(), taken.cend());
        if (unique.size() != taken.size())
            return u"takeChangedJobs repeated a job"_qs;
        if (unique != std::exchange(changed, {}))
            return u"takeChangedJobs missed or invented a change"_qs;
        return {};
    }

private:
    void start(quint32 j)
    {
        jobs[j].inflight = jobs[j].observed;
        changed.insert(j);
    }

    TrackerTable &m_t;
    FakePersistTarget &m_fake;
    qsizetype m_seenCalls = 0;
};
} // namespace

class TestTrackerModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(u"stickyboard.tracker=false"_qs); }

    void randomizedAgainstModel_data()
    {
        QTest::addColumn<int>("maxBatch");
        QTest::addRow("one batch per turn") << 4096;
        QTest::addRow("batches of 3") << 3;
        QTest::addRow("every write alone") << 1;
    }
    void randomizedAgainstModel()
    {
        QFETCH(int, maxBatch);
        const quint64 seed = envNumber("STICKYBOARD_TRACKER_SEED", 20260518);
        const quint64 steps = envNumber("STICKYBOARD_TRACKER_STEPS", 100'000);
        qInfo("seed %llu (STICKYBOARD_TRACKER_SEED), %llu steps (STICKYBOARD_TRACKER_STEPS)", seed,
              steps);
        std::mt19937_64 rng(seed);
        const auto below = [&rng](int n) { return int(rng() % quint64(n)); };

        FakePersistTarget fake;
        TrackerTable t(&fake, TrackerTable::Options{TrackerTable::RetryPolicy::OnNextEvent, 500,
                                                    60'000, maxBatch});
        // Whatever a failure leaves open settles while the tracker still exists.
        const auto cancelOpen = qScopeGuard([&fake] {
            while (!fake.openCalls().isEmpty())
                fake.cancel(fake.openCalls().constFirst());
        });
        Model model(t, fake);
        QList<quint32> backends;
        for (int b = 0; b < BackendCount; ++b)
            backends.append(t.internBackend(u"b%1"_qs.arg(b)));
        for (int j = 0; j < JobCount; ++j) {
            const QString id = u"j%1"_qs.arg(j);
            const QString initial = j % 2 ? u"b%1"_qs.arg(j % BackendCount) : QString();
            t.addJob(id, u"w%1"_qs.arg(j), initial);
            if (!initial.isNull())
                fake.setDb(id, initial);
            ModelJob m;
            m.db = t.findBackend(initial);
            model.jobs.append(m);
            model.changed.insert(quint32(j));
        }
        const QStringList cacheKeys{QString(), u"k1"_qs, u"k2"_qs};
        const auto fail = [&](quint64 step, const QString &what) {
            return u"seed %1, step %2: %3"_qs.arg(seed).arg(step).arg(what);
        };

        for (quint64 step = 0; step < steps; ++step) {
            const int roll = below(100);
            if (roll < 45) {
                model.event(quint32(below(JobCount)), backends[below(BackendCount)],
                            cacheKeys[below(cacheKeys.size())]);
            } else if (roll < 80) {
                const QList<qsizetype> open = fake.openCalls();
                if (!open.isEmpty()) {
                    const qsizetype call = open[below(open.size())];
                    QList<bool> ok;
                    for (qsizetype i = 0; i < fake.writes(call).size(); ++i)
                        ok.append(below(100) >= 30);
                    model.complete(call, ok);
                }
            } else if (roll < 92) {
                t.flush();
            } else if (roll < 97) {
                QCoreApplication::processEvents(); // the tracker's own end-of-turn flush
            } else if (const QString error = model.checkChangeFeed(); !error.isEmpty()) {
                QFAIL(qPrintable(fail(step, error)));
            }
            QString error = model.takeNewCalls();
            if (error.isEmpty())
                error = model.check();
            if (!error.isEmpty())
                QFAIL(qPrintable(fail(step, error)));
        }

        // Drain: every outstanding write succeeds; a job whose last write failed gets its
        // newest event once more (the next event retries), until nothing is left to do.
        for (int round = 0;; ++round) {
            QVERIFY2(round < 100, "the tracker does not settle");
            t.flush();
            if (const QString error = model.takeNewCalls(); !error.isEmpty())
                QFAIL(qPrintable(fail(steps, error)));
            while (!fake.openCalls().isEmpty()) {
                const qsizetype call = fake.openCalls().constFirst();
                model.complete(call, QList<bool>(fake.writes(call).size(), true));
                t.flush();
                const QString error = model.takeNewCalls();
                QVERIFY2(error.isEmpty(), qPrintable(fail(steps, error)));
            }
            bool retried = false;
            for (quint32 j = 0; j < JobCount; ++j) {
                const ModelJob &m = model.jobs[j];
                if (m.inflight == None && m.observed != None && m.observed != m.db) {
                    model.event(j, m.observed, m.cacheKey);
                    retried = true;
                }
            }
            const QString error = model.check();
            QVERIFY2(error.isEmpty(), qPrintable(fail(steps, error)));
            if (!retried && t.writesInFlight() == 0)
                break;
        }

        for (quint32 j = 0; j < JobCount; ++j) {
            const JobState &s = t.state(j);
            if (s.observed != None)
                QCOMPARE(t.backendText(s.current), t.backendText(s.observed));
            QCOMPARE(t.backendText(s.current), fake.db().value(t.jobId(j)));
        }
        const TrackerTable::Counters &c = t.counters();
        QCOMPARE(c.events, model.events);
        QCOMPARE(c.succeeded, model.succeeded);
        QCOMPARE(c.failed, model.failed);
        QCOMPARE(c.switches, model.switches);
        QCOMPARE(c.retriesRecovered, model.recovered);
        QCOMPARE(c.attempted, c.succeeded + c.failed);
        QCOMPARE(c.attempted, quint64(fake.allWrites().size()));
        QCOMPARE(t.staleCount(), 0);
        QCOMPARE(t.retryPendingCount(), 0);
        QCOMPARE(fake.maxOutstandingPerJob(), 1);
        qInfo("%llu writes: %llu succeeded, %llu failed, %llu switches, %llu recovered",
              c.attempted, c.succeeded, c.failed, c.switches, c.retriesRecovered);
    }
};

QTEST_GUILESS_MAIN(TestTrackerModel)
#include "tst_tracker_model.moc"
