// What the tracker tells the outside (signals, change feed, log lines), how it retries,
// and how it copes with futures that throw or never deliver.
#include "FakePersistTarget.h"
#include "tracker/TrackerTable.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTest>

using Options = TrackerTable::Options;
using RetryPolicy = TrackerTable::RetryPolicy;

namespace {
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
        return t.addJob(job, QStringLiteral("w-") + job, persisted);
    }
    void event(const QString &job, const QString &backend, const QString &cacheKey = {})
    {
        t.onEvent(job, {}, backend, cacheKey);
    }
    QString current(quint32 job) const { return t.backendText(t.state(job).current); }
};

const auto Quiet = u"stickyboard.tracker=false"_qs;

struct LogLine {
    QtMsgType type;
    QString category;
    QString text;
};
QList<LogLine> g_log;
void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    g_log.append({type, QString::fromLatin1(context.category), text});
}
} // namespace

class TestTrackerSignals : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLoggingCategory::setFilterRules(Quiet); }

    void settledAndWritesInFlight()
    {
        Rig rig;
        rig.add(u"j1"_qs, u"A"_qs);
        QSignalSpy settled(&rig.t, &TrackerTable::settled);
        rig.event(u"j1"_qs, u"B"_qs);
        QCOMPARE(rig.t.writesInFlight(), 1); // queued counts as in flight
        rig.t.flush();
        rig.event(u"j2"_qs, u"C"_qs);
        rig.t.flush();
        rig.event(u"j1"_qs, u"D"_qs); // coalesced
        QCOMPARE(rig.t.writesInFlight(), 2);
        rig.fake.succeed(1);
        QCOMPARE(rig.t.writesInFlight(), 1);
        QCOMPARE(settled.count(), 0);
        rig.fake.fail(0); // its follow-up (D) is queued: not settled yet
        QCOMPARE(rig.t.writesInFlight(), 1);
        QCOMPARE(settled.count(), 0);
        rig.t.flush();
        rig.fake.succeed(2);
        QCOMPARE(rig.t.writesInFlight(), 0);
        QCOMPARE(settled.count(), 1);
    }

    void takeChangedJobsReturnsEachOnce()
    {
        Rig rig;
        QSignalSpy jobsChanged(&rig.t, &TrackerTable::jobsChanged);
        const quint32 j1 = rig.add(u"j1"_qs, u"A"_qs);
        const quint32 j2 = rig.add(u"j2"_qs);
        rig.add(u"j3"_qs);
        QCoreApplication::processEvents();
        QCOMPARE(jobsChanged.count(), 1);
        QCOMPARE(rig.t.takeChangedJobs().size(), 3);
        QVERIFY(rig.t.takeChangedJobs().isEmpty());

        rig.event(u"j1"_qs, u"B"_qs);
        rig.event(u"j2"_qs, u"C"_qs);
        rig.event(u"j1"_qs, u"D"_qs);
        rig.event(u"j1"_qs, u"E"_qs);
        QCoreApplication::processEvents();
        QCOMPARE(jobsChanged.count(), 2); // once per turn
        QList<quint32> changed = rig.t.takeChangedJobs();
        std::sort(changed.begin(), changed.end());
        QCOMPARE(changed, (QList<quint32>{j1, j2}));
        QVERIFY(rig.t.takeChangedJobs().isEmpty());

        rig.t.flush();
        rig.fake.succeed(0); // settling changes both jobs again
        QCOMPARE(rig.t.takeChangedJobs().size(), 2);
    }

    void signalArguments()
    {
        Rig rig;
        const quint32 j1 = rig.add(u"j1"_qs);
        const quint32 j2 = rig.add(u"j2"_qs, u"A"_qs);
        QSignalSpy persisted(&rig.t, &TrackerTable::persisted);
        QSignalSpy failed(&rig.t, &TrackerTable::persistFailed);
        rig.event(u"j1"_qs, u"B"_qs, u"k1"_qs);
        rig.event(u"j2"_qs, u"C"_qs);
        rig.t.flush();
        rig.fake.complete(0, {true, false});
        const quint32 a = rig.t.findBackend(u"A"_qs), b = rig.t.findBackend(u"B"_qs),
                      c = rig.t.findBackend(u"C"_qs);
        QCOMPARE(persisted.count(), 1);
        QCOMPARE(persisted[0][0].value<quint32>(), j1);
        QCOMPARE(persisted[0][1].value<quint32>(), TrackerTable::None); // first resolution
        QCOMPARE(persisted[0][2].value<quint32>(), b);
        QCOMPARE(persisted[0][3].toString(), u"k1"_qs);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(failed[0][0].value<quint32>(), j2);
        QCOMPARE(failed[0][1].value<quint32>(), a); // kept
        QCOMPARE(failed[0][2].value<quint32>(), c); // target
        QCOMPARE(failed[0][3].toString(), u"disk on fire"_qs);

        rig.event(u"j1"_qs, u"C"_qs);
        rig.t.flush();
        rig.fake.succeed(1);
        QCOMPARE(persisted.count(), 2);
        QCOMPARE(persisted[1][1].value<quint32>(), b); // a switch: from B
        QCOMPARE(persisted[1][2].value<quint32>(), c);
        QVERIFY(persisted[1][3].toString().isNull()); // cache miss
    }

    void logLines_data()
    {
        QTest::addColumn<QString>("initial");
        QTest::addColumn<QString>("cacheKey");
        QTest::addColumn<QString>("info");
        QTest::addColumn<QString>("warning");
        QTest::addRow("switch, miss") << "A" << QString()
                                      << "[worker:w-j1] job j1 backend "
                                         "switched: A → B cache=miss"
                                      << "keeping A for retry";
        QTest::addRow("switch, hit") << "A"
                                     << "k9"
                                     << "switched: A → B cache=k9"
                                     << "keeping A for retry";
        QTest::addRow("first resolution")
            << QString() << QString() << "job j1 backend resolved: B cache=miss"
            << "keeping unset for retry";
    }
    void logLines()
    {
        QFETCH(QString, initial);
        QFETCH(QString, cacheKey);
        QFETCH(QString, info);
        QFETCH(QString, warning);
        Rig rig;
        rig.add(u"j1"_qs, initial);
        QLoggingCategory::setFilterRules({});
        g_log.clear();
        const QtMessageHandler previous = qInstallMessageHandler(captureLog);
        const auto restore = qScopeGuard([previous] {
            qInstallMessageHandler(previous);
            QLoggingCategory::setFilterRules(Quiet);
        });
        rig.event(u"j1"_qs, u"B"_qs, cacheKey);
        rig.t.flush();
        rig.fake.fail(0);
        rig.event(u"j1"_qs, u"B"_qs, cacheKey);
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
        rig.fake.succeed(1);

        QCOMPARE(g_log.size(), 2);
        QCOMPARE(g_log[0].type, QtWarningMsg);
        QCOMPARE(g_log[0].category, u"stickyboard.tracker"_qs);
        QVERIFY2(g_log[0].text.contains(u"job j1"_qs), qPrintable(g_log[0].text));
        QVERIFY2(g_log[0].text.contains(u"disk on fire"_qs), qPrintable(g_log[0].text));
        QVERIFY2(g_log[0].text.endsWith(warning), qPrintable(g_log[0].text));
        QCOMPARE(g_log[1].type, QtInfoMsg);
        QCOMPARE(g_log[1].category, u"stickyboard.tracker"_qs);
        QVERIFY2(g_log[1].text.contains(info), qPrintable(g_log[1].text));
    }

    void exceptionFailsAllWritesOfTheCall()
    {
        Rig rig;
        const quint32 j1 = rig.add(u"j1"_qs, u"A"_qs);
        const quint32 j2 = rig.add(u"j2"_qs);
        QSignalSpy failed(&rig.t, &TrackerTable::persistFailed);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.event(u"j2"_qs, u"B"_qs);
        rig.t.flush();
        rig.fake.throwException(0, "connection to db lost");
        QCOMPARE(failed.count(), 2);
        for (const auto &args : failed)
            QCOMPARE(args[3].toString(), u"connection to db lost"_qs);
        QCOMPARE(rig.current(j1), u"A"_qs);
        QVERIFY(rig.current(j2).isNull());
        QCOMPARE(rig.t.counters().failed, 2u);
        QCOMPARE(rig.t.writesInFlight(), 0);
        QCOMPARE(rig.t.retryPendingCount(), 2);
        rig.event(u"j1"_qs, u"B"_qs); // and the next event retries
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
    }

    void wrongNumberOfOutcomesFailsAllWrites()
    {
        Rig rig;
        rig.event(u"j1"_qs, u"B"_qs);
        rig.event(u"j2"_qs, u"B"_qs);
        rig.t.flush();
        rig.fake.complete(0, {true}); // one outcome for two writes
        QCOMPARE(rig.t.counters().failed, 2u);
        QCOMPARE(rig.t.counters().succeeded, 0u);
        QCOMPARE(rig.t.writesInFlight(), 0);
    }

    void canceledFutureFailsItsWrites()
    {
        // A store that drops a promise (shutting down, thread gone) must not wedge the
        // job in "saving" forever: the write failed, and the next event retries.
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        QSignalSpy settled(&rig.t, &TrackerTable::settled);
        QSignalSpy failed(&rig.t, &TrackerTable::persistFailed);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        rig.fake.cancel(0);
        QCoreApplication::processEvents();
        QCOMPARE(failed.count(), 1);
        QVERIFY(!rig.t.state(j).saving());
        QCOMPARE(rig.t.writesInFlight(), 0);
        QCOMPARE(settled.count(), 1);
        QCOMPARE(rig.current(j), u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
    }

    void slotAddingJobsDuringSettleIsSafe()
    {
        // Slots may react to persisted() by feeding more events (lock-step replay does):
        // new jobs grow the table while the tracker is still settling this write.
        Rig rig;
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        int added = 0;
        connect(&rig.t, &TrackerTable::persisted, &rig.t, [&] {
            for (int i = 0; i < 1000; ++i)
                rig.t.ensureJob(u"new%1"_qs.arg(added++));
        });
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        rig.event(u"j1"_qs, u"C"_qs); // coalesced: written when B settles
        rig.fake.succeed(0);
        QVERIFY(rig.t.state(j).saving());
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
        rig.event(u"j1"_qs, u"D"_qs);
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2); // D waits behind C
        rig.fake.succeed(1);
        rig.t.flush();
        rig.fake.succeed(2);
        QCOMPARE(rig.current(j), u"D"_qs);
        QCOMPARE(rig.fake.maxOutstandingPerJob(), 1);
        QCOMPARE(rig.t.writesInFlight(), 0);
    }

    void onNextEventDoesNotRetryWithoutAnEvent()
    {
        Rig rig(Options{RetryPolicy::OnNextEvent, 5, 20});
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        rig.fake.fail(0);
        QTest::qWait(100);
        QCOMPARE(rig.fake.callCount(), 1);
        QVERIFY(rig.t.state(j).retryPending());
    }

    void backoffRetriesWithoutEvents()
    {
        constexpr int Base = 10, Cap = 50;
        Rig rig(Options{RetryPolicy::Backoff, Base, Cap});
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        const QList<int> expected{10, 20, 40, 50, 50};
        for (qsizetype n = 0; n < expected.size(); ++n) {
            const qint64 before = QDateTime::currentMSecsSinceEpoch();
            const qint64 failedAt = rig.fake.nowMs();
            rig.fake.fail(n);
            const qint64 after = QDateTime::currentMSecsSinceEpoch();
            const qint64 due = rig.t.state(j).retryDueMs;
            QVERIFY2(due - before >= expected[n] && due - after <= expected[n],
                     qPrintable(u"retry %1: due in %2 ms, expected %3"_qs.arg(n + 1)
                                    .arg(due - after)
                                    .arg(expected[n])));
            QTRY_COMPARE_WITH_TIMEOUT(rig.fake.callCount(), n + 2, 5000);
            QVERIFY(rig.fake.calledAtMs(n + 1) - failedAt >= expected[n] - 2); // two clocks
            QCOMPARE(rig.fake.writes(n + 1).constFirst().toBackend, u"B"_qs);
            QCOMPARE(rig.current(j), u"A"_qs);
        }
        rig.fake.succeed(expected.size());
        QCOMPARE(rig.current(j), u"B"_qs);
        QCOMPARE(rig.t.counters().retriesRecovered, 1u);
        QTest::qWait(3 * Cap);
        QCOMPARE(rig.fake.callCount(), expected.size() + 1); // stopped once it succeeded
        QCOMPARE(rig.fake.maxOutstandingPerJob(), 1);
    }

    void backoffRetryYieldsToAnEvent()
    {
        Rig rig(Options{RetryPolicy::Backoff, 30, 30});
        const quint32 j = rig.add(u"j1"_qs, u"A"_qs);
        rig.event(u"j1"_qs, u"B"_qs);
        rig.t.flush();
        rig.fake.fail(0);
        rig.event(u"j1"_qs, u"C"_qs); // retries at once, with the newer backend
        rig.t.flush();
        QCOMPARE(rig.fake.callCount(), 2);
        rig.fake.succeed(1);
        QTest::qWait(90); // the stale backoff timer must not write again
        QCOMPARE(rig.fake.callCount(), 2);
        QCOMPARE(rig.current(j), u"C"_qs);
    }
};

QTEST_GUILESS_MAIN(TestTrackerSignals)
#include "tst_tracker_signals.moc"
