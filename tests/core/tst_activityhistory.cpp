// ActivityHistory from a real tracker over a real (in-memory SQLite) store, on a test clock.
#include "TrackerRig.h"
#include "faults/FaultInjector.h"
#include "models/ActivityHistory.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <numeric>

class TestActivityHistory : public QObject {
    Q_OBJECT

    struct Fixture : TrackerRig {
        qint64 nowMs = 1'700'000'000'000; // on a bucket boundary (divisible by 5,000)
        ActivityHistory history{nullptr, [this] { return nowMs; }};
        Fixture() { history.follow(&tracker); }
        bool event(const QString &job, const QString &backend)
        {
            tracker.onEvent(job, QStringLiteral("w"), backend);
            return settle();
        }
        int sum(const QList<int> &v) const { return std::accumulate(v.cbegin(), v.cend(), 0); }
    };

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void countsSwitchesNotResolutionsAndFailures()
    {
        Fixture f;
        QCOMPARE(f.history.switches().size(), ActivityHistory::Buckets);
        QCOMPARE(f.history.bucketSeconds(), 5);
        QCOMPARE(f.history.peak(), 1);                                // never 0: a ready-made scale
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("b1"))); // resolution: no switch
        QVERIFY(f.event(QStringLiteral("j2"), QStringLiteral("b1")));
        QCOMPARE(f.sum(f.history.switches()), 0);
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("b2")));
        QVERIFY(f.event(QStringLiteral("j2"), QStringLiteral("b2")));
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=j1"), &error));
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("b3")));
        QCOMPARE(f.history.switches().last(), 2);
        QCOMPARE(f.history.failures().last(), 1);
        QCOMPARE(f.history.peak(), 2);

        // Six seconds later the new bucket is last; the old one moved left by one.
        f.nowMs += 6'000;
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("b3"))); // the retry: a switch
        const QList<int> switches = f.history.switches();
        QCOMPARE(switches.at(ActivityHistory::Buckets - 1), 1);
        QCOMPARE(switches.at(ActivityHistory::Buckets - 2), 2);
        QCOMPARE(f.history.failures().at(ActivityHistory::Buckets - 2), 1);
        QCOMPARE(f.history.failures().last(), 0);

        // Five minutes on, everything has scrolled out, even without new events.
        f.nowMs += 5 * 60 * 1000;
        QCOMPARE(f.sum(f.history.switches()), 0);
        QCOMPARE(f.sum(f.history.failures()), 0);
        QCOMPARE(f.history.peak(), 1);
        // A long pause does not leave old counts in the ring.
        QVERIFY(f.event(QStringLiteral("j2"), QStringLiteral("b1")));
        QCOMPARE(f.sum(f.history.switches()), 1);
    }

    void changedAtMostOncePerFlush()
    {
        Fixture f;
        QSignalSpy changed(&f.history, &ActivityHistory::changed);
        f.history.flush();
        QCOMPARE(changed.size(), 1); // the first flush publishes the (empty) series
        for (int i = 0; i < 100; ++i) {
            f.history.addSwitch();
            f.history.addFailure();
        }
        QCOMPARE(changed.size(), 1); // not once per event
        f.history.flush();
        QCOMPARE(changed.size(), 2);
        f.history.flush();
        QCOMPARE(changed.size(), 2); // nothing new
        f.nowMs += 5'000;
        f.history.flush();
        QCOMPARE(changed.size(), 3); // time moved the series
        QCOMPARE(f.history.switches().at(ActivityHistory::Buckets - 2), 100);
        QCOMPARE(f.history.peak(), 100);
    }

    void timerPublishesOnItsOwn()
    {
        Fixture f;
        f.history.flush();
        QSignalSpy changed(&f.history, &ActivityHistory::changed);
        f.history.addFailure();
        QVERIFY(changed.wait(2'000)); // the 1 s timer
        QCOMPARE(f.history.failures().last(), 1);
    }
};

QTEST_GUILESS_MAIN(TestActivityHistory)
#include "tst_activityhistory.moc"
