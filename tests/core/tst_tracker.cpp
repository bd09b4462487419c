// The tracker's rule, coalescing and counters, against a fake PersistTarget the test
// settles by hand. Signals, logs, retries and odd futures: tst_tracker_signals.cpp.
#include "FakePersistTarget.h"
#include "tracker/TrackerTable.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using Options = TrackerTable::Options;

namespace {
/// A tracker on a fake target. Settles what is still open before the tracker goes away,
/// so no continuation outlives its context.
struct Rig {
    FakePersistTarget fake;
    TrackerTable t;
    explicit Rig(Options options = {}) : t(&fake, options) {}
    ~Rig()
    {
        while (!fake.openCalls().isEmpty())
            fake.cancel(fake.openCalls().constFirst());
    }
    quint32 add(const QString &job, const QString &persisted = {})
    {
        if (!persisted.isEmpty())
            fake.setDb(job, persisted);
        return t.addJob(job, QStringLiteral("w-") + job, persisted);
    }
    void event(const QString &job, const QString &backend, const QString &cacheKey = {})
    {
        t.onEvent(job, {}, backend, cacheKey);
    }
    QString current(quint32 job) const { return t.backendText(t.state(job).current); }
    QString observed(quint32 job) const { return t.backendText(t.state(job).observed); }
    /// Flushes and answers the writes handed out since call `from`.
    QList<PersistWrite> newWrites(qsizetype from)
    {
        t.flush();
        QList<PersistWrite> ws;
        for (qsizetype i = from; i < fake.callCount(); ++i)
            ws += fake.writes(i);
        return ws;
    }
};

/// Runs "B+" (event B, write succeeds) / "B-" (event B, write fails) / "B" (event only).
void runScript(Rig &rig, const QString &job, const QStringList &script)
{
    for (const QString &step : script) {
        const qsizetype before = rig.fake.callCount();
        rig.event(job, step.left(1));
        rig.t.flush();
        if (step.size() > 1 && rig.fake.callCount() > before)
            rig.fake.complete(before, {step.endsWith(u'+')});
    }
}
} // namespace

class TestTracker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(u"stickyboard.tracker=false"_qs); }

    void unchangedBackendWritesNothing()
    {
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"A"_qs);
        QCoreApplication::processEvents();
        QCOMPARE(rig.newWrites(0).size(), 0);
        QCOMPARE(rig.t.counters().events, 2u);
        QCOMPARE(rig.t.counters().attempted, 0u);
        QCOMPARE(rig.t.writesInFlight(), 0);
        QCOMPARE(rig.current(j), u"A"_qs);
    }

    void successAdvancesOnlyAfterTheWrite_data()
    {
        QTest::addColumn<QString>("initial");
        QTest::addRow("first resolution") << QString();
        QTest::addRow("switch") << u"A"_qs;
    }
    void successAdvancesOnlyAfterTheWrite()
    {
        QFETCH(QString, initial);
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, initial);
        rig.event(u"j1"_qs, u"B"_qs, u"k9"_qs);
        const QList<PersistWrite> ws = rig.newWrites(0);
        QCOMPARE(ws.size(), 1);
        QCOMPARE(ws[0].jobId, u"j1"_qs);
        QCOMPARE(ws[0].workerId, u"w-j1"_qs);
        QCOMPARE(ws[0].fromBackend, initial);
        QCOMPARE(ws[0].fromBackend.isNull(), initial.isNull());
        QCOMPARE(ws[0].toBackend, u"B"_qs);
        QCOMPARE(ws[0].cacheKey, u"k9"_qs);
        // Handed out but not durable: memory and the hint stay on the old value.
        QCOMPARE(rig.current(j), initial);
        QCOMPARE(rig.t.preferredBackend(j), initial);
        QVERIFY(rig.t.state(j).saving());
        rig.fake.succeed(0);
        QCOMPARE(rig.current(j), u"B"_qs);
        QCOMPARE(rig.t.preferredBackend(j), u"B"_qs);
        QCOMPARE(rig.fake.db().value(u"j1"_qs), u"B"_qs);
        QVERIFY(!rig.t.state(j).saving());
        QVERIFY(!rig.t.state(j).stale());
    }

    void failureKeepsValueAndNextEventRetries()
    {
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        QCOMPARE(rig.newWrites(0).size(), 1);
        rig.fake.fail(0);
        QCOMPARE(rig.current(j), u"A"_qs);
        QCOMPARE(rig.t.preferredBackend(j), u"A"_qs);
        QCOMPARE(rig.observed(j), u"B"_qs);
        QVERIFY(rig.t.state(j).retryPending());
        QCOMPARE(rig.t.retryPendingCount(), 1);
        QCOMPARE(rig.t.staleCount(), 1);
        QCOMPARE(rig.t.state(j).consecutiveFailures, 1u);
        const qint64 failedAt = rig.t.oldestRetryPendingSinceMs();
        QVERIFY(qAbs(failedAt - QDateTime::currentMSecsSinceEpoch()) < 5000);

        // The same event again is not short-circuited: it retries the write.
        rig.event(u"j1"_qs, u"B"_qs);
        const QList<PersistWrite> retry = rig.newWrites(1);
        QCOMPARE(retry.size(), 1);
        QCOMPARE(retry[0].fromBackend, u"A"_qs);
        QCOMPARE(retry[0].toBackend, u"B"_qs);
        rig.fake.succeed(1);
        QCOMPARE(rig.current(j), u"B"_qs);
        QCOMPARE(rig.fake.db().value(u"j1"_qs), u"B"_qs);
        QCOMPARE(rig.t.retryPendingCount(), 0);
        QCOMPARE(rig.t.oldestRetryPendingSinceMs(), 0);
        QCOMPARE(rig.t.state(j).consecutiveFailures, 0u);
        QCOMPARE(rig.t.state(j).totalFailures, 1u);
    }

    /// Watch mode: a value seen in the database is the persisted value at once, no write.
    void observePersistedAdvancesWithoutWriting()
    {
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        QSignalSpy persisted(&rig.t, &TrackerTable::persisted);
        rig.t.observePersisted(u"j1"_qs, u"w1"_qs, u"B"_qs);
        rig.t.observePersisted(u"j1"_qs, u"w1"_qs, u"B"_qs); // the same row read again
        rig.t.observePersisted(u"j2"_qs, u"w2"_qs, u"C"_qs); // a new job: a first resolution
        QCOMPARE(rig.current(j), u"B"_qs);
        QCOMPARE(rig.observed(j), u"B"_qs);
        QCOMPARE(rig.current(rig.t.findJob(u"j2"_qs)), u"C"_qs);
        QCOMPARE(persisted.size(), 2);
        QCOMPARE(rig.fake.callCount(), 0);
        QCOMPARE(rig.t.counters().switches, 1u);
        QCOMPARE(rig.t.counters().events, 3u);
        QCOMPARE(rig.t.counters().attempted, 0u);
        QCOMPARE(rig.t.staleCount(), 0);
    }

    void eventEqualToOldValueAfterFailureWritesNothing_data()
    {
        QTest::addColumn<TrackerTable::RetryPolicy>("policy");
        QTest::addRow("on next event") << TrackerTable::RetryPolicy::OnNextEvent;
        QTest::addRow("backoff") << TrackerTable::RetryPolicy::Backoff;
    }
    void eventEqualToOldValueAfterFailureWritesNothing()
    {
        // B failed, so the database still holds A; an event for A agrees with it. Nothing
        // is stale, nothing to retry, and a later B writes again.
        QFETCH(TrackerTable::RetryPolicy, policy);
        Rig rig(Options{policy, 5, 20});
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        QCOMPARE(rig.newWrites(0).size(), 1);
        rig.fake.fail(0);
        rig.event(u"j1"_qs, u"A"_qs);
        QTest::qWait(60); // longer than any backoff delay
        QCOMPARE(rig.newWrites(1).size(), 0);
        QCOMPARE(rig.current(j), u"A"_qs);
        QCOMPARE(rig.fake.db().value(u"j1"_qs), u"A"_qs);
        QVERIFY(!rig.t.state(j).stale());
        QCOMPARE(rig.t.retryPendingCount(), 0);

        rig.event(u"j1"_qs, u"B"_qs);
        QCOMPARE(rig.newWrites(1).size(), 1);
    }

    void initialValueFromAddJob()
    {
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        QCOMPARE(rig.t.preferredBackend(j), u"A"_qs);
        QVERIFY(!rig.t.state(j).stale());
        rig.event(u"j1"_qs, u"A"_qs);
        QCOMPARE(rig.newWrites(0).size(), 0);
        // Adding it again does not overwrite what the tracker knows.
        QCOMPARE(rig.t.addJob(u"j1"_qs, {}, u"Z"_qs), j);
        QCOMPARE(rig.t.preferredBackend(j), u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        const QList<PersistWrite> ws = rig.newWrites(0);
        QCOMPARE(ws.size(), 1);
        QCOMPARE(ws[0].fromBackend, u"A"_qs);

        const quint32 fresh = rig.add(u"j2"_qs);
        QVERIFY(rig.t.preferredBackend(fresh).isNull());
    }

    void preferredBackendIsThePersistedValue()
    {
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        QStringList hints;
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        hints << rig.t.preferredBackend(j); // in flight
        rig.fake.fail(0);
        hints << rig.t.preferredBackend(j); // failed
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
        rig.fake.succeed(1);
        hints << rig.t.preferredBackend(j); // durable
        QCOMPARE(hints, (QStringList{u"A"_qs, u"A"_qs, u"B"_qs}));
        QCOMPARE(rig.t.preferredBackend(j), rig.fake.db().value(u"j1"_qs));
    }

    void switchCounting_data()
    {
        QTest::addColumn<QString>("initial");
        QTest::addColumn<QStringList>("script");
        QTest::addColumn<int>("switches");
        QTest::addColumn<int>("succeeded");
        QTest::addRow("first resolution is no switch") << QString() << QStringList{"B+"} << 0 << 1;
        QTest::addRow("replacing a persisted value") << "A" << QStringList{"B+"} << 1 << 1;
        QTest::addRow("resolve, then switch") << QString() << QStringList{"A+", "B+"} << 1 << 2;
        QTest::addRow("failed switch") << "A" << QStringList{"B-"} << 0 << 0;
        QTest::addRow("switch back and forth") << "A" << QStringList{"B+", "A+", "B+"} << 3 << 3;
        QTest::addRow("failed first resolution, retried")
            << QString() << QStringList{"B-", "B+", "C+"} << 1 << 2;
    }
    void switchCounting()
    {
        QFETCH(QString, initial);
        QFETCH(QStringList, script);
        QFETCH(int, switches);
        QFETCH(int, succeeded);
        Rig rig;
        rig.add(u"j1"_qs, initial);
        runScript(rig, u"j1"_qs, script);
        QCOMPARE(rig.t.counters().switches, quint64(switches));
        QCOMPARE(rig.t.counters().succeeded, quint64(succeeded));
    }

    void retriesRecovered_data()
    {
        QTest::addColumn<QStringList>("script");
        QTest::addColumn<int>("recovered");
        QTest::addRow("no failure") << QStringList{"B+", "C+"} << 0;
        QTest::addRow("fail, retry ok") << QStringList{"B-", "B+"} << 1;
        QTest::addRow("several failures, one recovery") << QStringList{"B-", "B-", "B-", "B+"} << 1;
        QTest::addRow("recover twice") << QStringList{"B-", "B+", "C-", "C+"} << 2;
        QTest::addRow("still failing") << QStringList{"B-", "B-"} << 0;
        QTest::addRow("next success is a recovery") << QStringList{"B-", "C+", "D+"} << 1;
    }
    void retriesRecovered()
    {
        QFETCH(QStringList, script);
        QFETCH(int, recovered);
        Rig rig;
        rig.add(u"j1"_qs, u"A"_qs);
        runScript(rig, u"j1"_qs, script);
        QCOMPARE(rig.t.counters().retriesRecovered, quint64(recovered));
    }

    void coalescesEventsWhileInFlight_data()
    {
        QTest::addColumn<bool>("inFlightOk");
        QTest::addRow("in-flight write succeeds") << true;
        QTest::addRow("in-flight write fails") << false;
    }
    void coalescesEventsWhileInFlight()
    {
        QFETCH(bool, inFlightOk);
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        QCOMPARE(rig.newWrites(0).size(), 1);
        rig.event(u"j1"_qs, u"C"_qs, u"kc"_qs);
        rig.event(u"j1"_qs, u"D"_qs, u"kd"_qs);
        rig.event(u"j1"_qs, u"E"_qs, u"ke"_qs);
        QCoreApplication::processEvents();
        QCOMPARE(rig.newWrites(1).size(), 0);
        QCOMPARE(rig.observed(j), u"E"_qs);

        rig.fake.complete(0, {inFlightOk});
        const QList<PersistWrite> follow = rig.newWrites(1);
        QCOMPARE(follow.size(), 1);
        QCOMPARE(follow[0].fromBackend, inFlightOk ? u"B"_qs : u"A"_qs);
        QCOMPARE(follow[0].toBackend, u"E"_qs);
        QCOMPARE(follow[0].cacheKey, u"ke"_qs);
        rig.fake.succeed(1);
        QCOMPARE(rig.current(j), u"E"_qs);
        QCOMPARE(rig.newWrites(2).size(), 0);
        QCOMPARE(rig.t.counters().attempted, 2u);
    }

    void coalescedEventEqualToInFlightTarget_data()
    {
        QTest::addColumn<QStringList>("meanwhile");
        QTest::addColumn<bool>("inFlightOk");
        QTest::addColumn<QString>("followUp"); // empty: no follow-up write
        QTest::addColumn<QString>("finally");
        // In flight: A -> B.
        QTest::addRow("back to target, ok") << QStringList{"C", "B"} << true << ""
                                            << "B";
        QTest::addRow("back to target, failed") << QStringList{"C", "B"} << false << "B"
                                                << "B";
        QTest::addRow("same as target, ok") << QStringList{"B"} << true << ""
                                            << "B";
        QTest::addRow("same as target, failed") << QStringList{"B"} << false << "B"
                                                << "B";
        QTest::addRow("back to old, ok") << QStringList{"A"} << true << "A"
                                         << "A";
        QTest::addRow("back to old, failed") << QStringList{"C", "A"} << false << ""
                                             << "A";
    }
    void coalescedEventEqualToInFlightTarget()
    {
        QFETCH(QStringList, meanwhile);
        QFETCH(bool, inFlightOk);
        QFETCH(QString, followUp);
        QFETCH(QString, finally);
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        QCOMPARE(rig.newWrites(0).size(), 1);
        for (const QString &b : meanwhile)
            rig.event(u"j1"_qs, b);
        rig.fake.complete(0, {inFlightOk});
        const QList<PersistWrite> follow = rig.newWrites(1);
        QCOMPARE(follow.size(), followUp.isEmpty() ? 0 : 1);
        if (!followUp.isEmpty()) {
            QCOMPARE(follow[0].toBackend, followUp);
            rig.fake.succeed(1);
        }
        QCOMPARE(rig.current(j), finally);
        QCOMPARE(rig.fake.db().value(u"j1"_qs), finally);
        QVERIFY(!rig.t.state(j).stale());
        QCOMPARE(rig.t.writesInFlight(), 0);
    }

    void outOfOrderCompletionsAcrossJobs()
    {
        Rig rig;
        const quint32 j1 = rig.add(u"j1"_qs, u"A"_qs);
        const quint32 j2 = rig.add(u"j2"_qs, u"A"_qs);
        const quint32 j3 = rig.add(u"j3"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush(); // call 0: j1
        rig.event(u"j2"_qs, u"C"_qs);
        rig.event(u"j3"_qs, u"D"_qs);
        rig.t.flush();                // call 1: j2, j3
        rig.event(u"j1"_qs, u"E"_qs); // coalesced behind call 0
        QCOMPARE(rig.fake.callCount(), 2);

        rig.fake.complete(1, {false, true}); // the later batch settles first, mixed
        QCOMPARE(rig.current(j1), u"A"_qs);
        QCOMPARE(rig.current(j2), u"A"_qs);
        QCOMPARE(rig.current(j3), u"D"_qs);
        rig.fake.succeed(0);
        QCOMPARE(rig.current(j1), u"B"_qs);
        const QList<PersistWrite> follow = rig.newWrites(2);
        QCOMPARE(follow.size(), 1);
        QCOMPARE(follow[0].jobId, u"j1"_qs);
        QCOMPARE(follow[0].toBackend, u"E"_qs);
        rig.fake.succeed(2);
        QCOMPARE(rig.current(j1), u"E"_qs);
        QCOMPARE(rig.current(j2), u"A"_qs);
        QCOMPARE(rig.t.staleCount(), 1); // j2 waits for its next event
        for (const quint32 j : {j1, j2, j3})
            QCOMPARE(rig.current(j), rig.fake.db().value(rig.t.jobId(j)));
    }

    void neverTwoWritesInFlightForOneJob()
    {
        Rig rig(Options{TrackerTable::RetryPolicy::OnNextEvent, 500, 60'000, 1});
        rig.add(u"j1"_qs, u"A"_qs);
        for (const auto &b : {u"B"_qs, u"C"_qs, u"D"_qs, u"B"_qs}) {
            rig.event(u"j1"_qs, b);
            rig.t.flush();
            QCoreApplication::processEvents();
        }
        QCOMPARE(rig.fake.callCount(), 1);
        rig.fake.fail(0); // the coalesced events follow up at once, with the newest (B)
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
        QCOMPARE(rig.fake.writes(1).constFirst().toBackend, u"B"_qs);
        rig.event(u"j1"_qs, u"C"_qs); // waits behind B
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
        rig.fake.succeed(1);
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 3);
        QCOMPARE(rig.fake.writes(2).constFirst().toBackend, u"C"_qs);
        QCOMPARE(rig.fake.maxOutstandingPerJob(), 1);
    }

    void batchesWritesOfOneTurn()
    {
        Rig rig(Options{TrackerTable::RetryPolicy::OnNextEvent, 500, 60'000, 3});
        for (int i = 0; i < 5; ++i)
            rig.event(u"j%1"_qs.arg(i), u"B"_qs);
        QCOMPARE(rig.fake.callCount(), 1); // maxBatch reached: handed out at once
        QCOMPARE(rig.fake.writes(0).size(), 3);
        QCoreApplication::processEvents(); // end of the turn: the rest as one batch
        QCOMPARE(rig.fake.callCount(), 2);
        QCOMPARE(rig.fake.writes(1).size(), 2);
        QCOMPARE(rig.t.writesInFlight(), 5);
    }
};

QTEST_GUILESS_MAIN(TestTracker)
#include "tst_tracker.moc"
