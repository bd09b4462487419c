// ctest-labels: watch observe
// Watch mode's staleness (TrackerTable with Staleness): an observation moves only the
// observed backend, never a write; a difference is pending within the grace and stale
// after it; the table catching up is a recovery with its duration.

#include "models/EventLogModel.h"
#include "tracker/TrackerTable.h"
#include "watch/ReadOnlyTarget.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// A tracker as watch mode makes it, on a clock the test moves.
struct Rig {
    ReadOnlyTarget target;
    TrackerTable tracker{&target};
    qint64 clock = 1'000'000;

    explicit Rig(qint64 graceMs = 10'000)
    {
        TrackerTable::Options o = tracker.options();
        o.staleAfterMs = graceMs;
        tracker.setOptions(o);
        tracker.staleness().setClock([this] { return clock; });
    }
    quint32 job(const QString &id) const { return tracker.findJob(id); }
    QString observed(const QString &id) const
    {
        return tracker.backendText(tracker.state(job(id)).observed);
    }
};

} // namespace

class TestStaleness : public QObject {
    Q_OBJECT
private slots:
    void observationMovesOnlyObserved()
    {
        Rig r;
        r.tracker.addJob(u"j1"_s, u"w1"_s, u"b1"_s);
        r.tracker.observeServed(u"j1"_s, u"w1"_s, u"b2"_s, u"k9"_s);
        const JobState &s = r.tracker.state(r.job(u"j1"_s));
        QCOMPARE(r.tracker.preferredBackend(r.job(u"j1"_s)), u"b1"_s); // the table's value
        QCOMPARE(r.observed(u"j1"_s), u"b2"_s);
        QCOMPARE(s.cacheKey, u"k9"_s);
        QCOMPARE(s.observedAtMs, r.clock);
        QCOMPARE(r.tracker.writesInFlight(), 0);
        QCOMPARE(r.tracker.counters().attempted, 0u); // never a write
        QCOMPARE(r.tracker.counters().observations, 1u);
        // The gateway's own time, when the observation carries one.
        r.tracker.observeServed(u"j1"_s, {}, u"b2"_s, {}, 777);
        QCOMPARE(r.tracker.state(r.job(u"j1"_s)).observedAtMs, 777);
        QVERIFY(r.tracker.state(r.job(u"j1"_s)).cacheKey.isNull());
    }

    void pendingThenStaleAfterTheGrace()
    {
        Rig r(10'000);
        r.tracker.addJob(u"j1"_s, {}, u"b1"_s);
        r.tracker.addJob(u"j2"_s, {}, u"b1"_s);
        r.tracker.observeServed(u"j1"_s, {}, u"b2"_s, {});
        r.tracker.observeServed(u"j2"_s, {}, u"b1"_s, {}); // in step: nothing pending
        const Staleness &st = r.tracker.staleness();
        QCOMPARE(st.since(r.job(u"j1"_s)), r.clock);
        QCOMPARE(st.since(r.job(u"j2"_s)), 0);
        QCOMPARE(st.pendingCount(r.clock), 1);
        QCOMPARE(r.tracker.staleCount(), 0);
        QVERIFY(!r.tracker.isStale(r.job(u"j1"_s)));
        r.clock += 9'999;
        QCOMPARE(r.tracker.staleCount(), 0);
        r.clock += 1;
        QCOMPARE(r.tracker.staleCount(), 1);
        QVERIFY(r.tracker.isStale(r.job(u"j1"_s)));
        QCOMPARE(st.pendingCount(r.clock), 0);
        QCOMPARE(st.oldestStaleSinceMs(r.clock), r.clock - 10'000);
        // Another observation of the same difference does not restart the clock.
        r.tracker.observeServed(u"j1"_s, {}, u"b3"_s, {});
        QCOMPARE(st.since(r.job(u"j1"_s)), r.clock - 10'000);
    }

    void writeWithinTheGraceIsNoRecovery()
    {
        Rig r(10'000);
        r.tracker.addJob(u"j1"_s, {}, u"b1"_s);
        QSignalSpy recovered(&r.tracker, &TrackerTable::staleRecovered);
        r.tracker.observeServed(u"j1"_s, {}, u"b2"_s, {});
        r.clock += 300;
        r.tracker.observePersisted(u"j1"_s, {}, u"b2"_s); // the worker's write landed
        QCOMPARE(r.tracker.staleness().since(r.job(u"j1"_s)), 0);
        QCOMPARE(recovered.size(), 0);
        QCOMPARE(r.tracker.counters().staleRecovered, 0u);
        QCOMPARE(r.tracker.staleness().histogram().count, 0u);
        QCOMPARE(r.observed(u"j1"_s), u"b2"_s);
    }

    void tableCatchesUpAfterStaleness()
    {
        Rig r(10'000);
        r.tracker.addJob(u"j1"_s, {}, u"b1"_s);
        EventLogModel log;
        log.follow(&r.tracker);
        QSignalSpy recovered(&r.tracker, &TrackerTable::staleRecovered);
        r.tracker.observeServed(u"j1"_s, {}, u"b2"_s, {});
        r.clock += 37'000;
        // A table change to yet another backend does not end it: observed still differs.
        r.tracker.observePersisted(u"j1"_s, {}, u"b3"_s);
        QCOMPARE(recovered.size(), 0);
        QCOMPARE(r.observed(u"j1"_s), u"b2"_s); // the table no longer moves `observed`
        r.tracker.observePersisted(u"j1"_s, {}, u"b2"_s);
        QCOMPARE(recovered.size(), 1);
        QCOMPARE(recovered.at(0).at(1).toLongLong(), 37'000);
        QCOMPARE(r.tracker.counters().staleRecovered, 1u);
        const Staleness::Histogram &h = r.tracker.staleness().histogram();
        QCOMPARE(h.count, 1u);
        QCOMPARE(h.sumSeconds, 37.0);
        QCOMPARE(h.buckets[2], 1u); // (30, 60]
        QCOMPARE(r.tracker.staleCount(), 0);
        QTRY_VERIFY(log.rowCount() > 0);
        QCOMPARE(log.entry(0).kind, EventLogModel::Kind::Recovery);
        QCOMPARE(log.entry(0).message, u"j1 recovered after 37 s: the table holds b2"_s);
    }

    void gatewayBackOnTheTablesBackendEndsIt()
    {
        Rig r(1'000);
        r.tracker.addJob(u"j1"_s, {}, u"b1"_s);
        r.tracker.observeServed(u"j1"_s, {}, u"b2"_s, {});
        r.clock += 5'000;
        r.tracker.observeServed(u"j1"_s, {}, u"b1"_s, {});
        QCOMPARE(r.tracker.staleCount(), 0);
        QCOMPARE(r.tracker.counters().staleRecovered, 1u);
    }

    void becameStaleFiresOnTheTimer()
    {
        // Real time here: the grace timer itself.
        ReadOnlyTarget target;
        TrackerTable tracker(&target);
        TrackerTable::Options o = tracker.options();
        o.staleAfterMs = 150;
        tracker.setOptions(o);
        EventLogModel log;
        log.follow(&tracker);
        QSignalSpy stale(&tracker, &TrackerTable::becameStale);
        tracker.addJob(u"j1"_s, {}, u"b1"_s);
        tracker.addJob(u"j2"_s, {}, u"b1"_s);
        tracker.observeServed(u"j1"_s, {}, u"b2"_s, {});
        tracker.observeServed(u"j2"_s, {}, u"b2"_s, {});
        tracker.observePersisted(u"j2"_s, {}, u"b2"_s); // j2's write lands in time
        QCOMPARE(stale.size(), 0);
        QTRY_COMPARE(stale.size(), 1);
        QCOMPARE(stale.at(0).at(0).toUInt(), tracker.findJob(u"j1"_s));
        QTRY_COMPARE(log.rowCount(), 2); // j2's switch, then j1 going stale
        QCOMPARE(log.entry(0).kind, EventLogModel::Kind::Stale);
        QVERIFY2(log.entry(0).message.startsWith(u"j1 stale: served on b2, the table still "
                                                 "holds b1"_s),
                 qPrintable(log.entry(0).message));
        QTest::qWait(300);
        QCOMPARE(stale.size(), 1); // once
    }

    void jobsWithoutObservationsKeepTheOldMeaning()
    {
        // Before any observation, watch mode's `observed` is the table's value (as before
        // issue 12), so nothing is stale.
        Rig r(0);
        r.tracker.addJob(u"j1"_s, {}, u"b1"_s);
        r.tracker.observePersisted(u"j1"_s, {}, u"b2"_s);
        QCOMPARE(r.observed(u"j1"_s), u"b2"_s);
        QCOMPARE(r.tracker.staleCount(), 0);
        QCOMPARE(r.tracker.staleness().since(r.job(u"j1"_s)), 0);
    }

    void stateStaysSmall()
    {
        // A million jobs must stay within 256 bytes each: the state, the hot copy, the id
        // (a QString and its short text) and the index entry.
        QVERIFY(sizeof(JobState) <= 96);
    }
};

QTEST_GUILESS_MAIN(TestStaleness)
#include "tst_staleness.moc"
