// EventLogModel and EventLogFilter over a real tracker and a real (in-memory SQLite) store.
#include "TrackerRig.h"
#include "faults/FaultInjector.h"
#include "models/EventLogFilter.h"
#include "models/EventLogModel.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

class TestEventLogModel : public QObject {
    Q_OBJECT

    struct Fixture : TrackerRig {
        EventLogModel log;
        EventLogFilter filter;
        QAbstractItemModelTester logTester{&log,
                                           QAbstractItemModelTester::FailureReportingMode::QtTest};
        QAbstractItemModelTester filterTester{
            &filter, QAbstractItemModelTester::FailureReportingMode::QtTest};
        explicit Fixture(int capacity = 10'000) : log(capacity)
        {
            log.follow(&tracker);
            filter.setSourceModel(&log);
        }
        bool event(const QString &job, const QString &worker, const QString &backend)
        {
            tracker.onEvent(job, worker, backend);
            return settle();
        }
        QStringList kinds(const QAbstractItemModel &m) const
        {
            QStringList out;
            for (int r = 0; r < m.rowCount(); ++r)
                out << m.index(r, 0).data(EventLogModel::KindNameRole).toString();
            return out;
        }
    };

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void followsWritesNewestFirst()
    {
        Fixture f;
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("w1"), QStringLiteral("b1")));
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("w1"), QStringLiteral("b2")));
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=j1"), &error));
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("w1"), QStringLiteral("b3")));
        QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("w1"), QStringLiteral("b3")));
        QTRY_COMPARE(f.log.rowCount(), 4);
        QCOMPARE(f.kinds(f.log),
                 (QStringList{QStringLiteral("recovery"), QStringLiteral("failure"),
                              QStringLiteral("switch"), QStringLiteral("resolved")}));
        const QModelIndex failure = f.log.index(1);
        QCOMPARE(failure.data(EventLogModel::FromRole).toString(), QStringLiteral("b2"));
        QCOMPARE(failure.data(EventLogModel::ToRole).toString(), QStringLiteral("b3"));
        QVERIFY(failure.data(EventLogModel::MessageRole)
                    .toString()
                    .contains(QStringLiteral("keeping b2")));
    }

    void capacityDropsTheOldest()
    {
        Fixture f(3);
        for (int j = 0; j < 5; ++j)
            QVERIFY(
                f.event(QStringLiteral("j%1").arg(j), QStringLiteral("w"), QStringLiteral("b1")));
        QTRY_COMPARE(f.log.rowCount(), 3);
        QTest::qWait(50);
        QCOMPARE(f.log.rowCount(), 3);
        QCOMPARE(f.log.index(0).data(EventLogModel::JobRole).toString(), QStringLiteral("j4"));
        QCOMPARE(f.log.index(2).data(EventLogModel::JobRole).toString(), QStringLiteral("j2"));
    }

    void storageStaysWithinTheCapacity()
    {
        // A full log under a steady stream: rows fall off the end and come in at the top, yet
        // the storage never holds more slots than rows shown (a list trimmed at the front
        // slid through twice that, which the soak bench saw as RSS growth).
        EventLogModel log(100);
        QAbstractItemModelTester tester(&log,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        int next = 0;
        for (int round = 0; round < 40; ++round) {
            for (int i = 0; i < 37; ++i, ++next) {
                EventLogModel::Entry e;
                e.kind = EventLogModel::Kind::Backend;
                e.job = QStringLiteral("j%1").arg(next);
                log.append(std::move(e));
            }
            QTRY_COMPARE(log.index(0).data(EventLogModel::JobRole).toString(),
                         QStringLiteral("j%1").arg(next - 1));
            QVERIFY2(log.storageSlots() <= 100,
                     qPrintable(QStringLiteral("%1 slots").arg(log.storageSlots())));
        }
        QCOMPARE(log.rowCount(), 100);
        for (int r = 0; r < 100; ++r)
            QCOMPARE(log.index(r).data(EventLogModel::JobRole).toString(),
                     QStringLiteral("j%1").arg(next - 1 - r));
        log.clear();
        QCOMPARE(log.rowCount(), 0);
        EventLogModel::Entry e;
        e.job = QStringLiteral("after");
        log.append(std::move(e));
        QTRY_COMPARE(log.rowCount(), 1);
        QCOMPARE(log.index(0).data(EventLogModel::JobRole).toString(), QStringLiteral("after"));
    }

    void filterByKindAndText()
    {
        Fixture f;
        QVERIFY(f.event(QStringLiteral("alpha"), QStringLiteral("w-one"), QStringLiteral("b1")));
        QVERIFY(f.event(QStringLiteral("beta"), QStringLiteral("w-two"), QStringLiteral("b1")));
        QVERIFY(f.event(QStringLiteral("alpha"), QStringLiteral("w-one"), QStringLiteral("b2")));
        QTRY_COMPARE(f.log.rowCount(), 3);
        QSignalSpy filterChanged(&f.filter, &EventLogFilter::filterChanged);
        f.filter.setKinds({QStringLiteral("switch")});
        QCOMPARE(f.filter.rowCount(), 1);
        f.filter.setKinds({});
        f.filter.setText(QStringLiteral("W-TWO")); // worker, case-insensitive
        QCOMPARE(f.filter.rowCount(), 1);
        QCOMPARE(f.filter.index(0, 0).data(EventLogModel::JobRole).toString(),
                 QStringLiteral("beta"));
        f.filter.setText(QStringLiteral("alp"));
        QCOMPARE(f.kinds(f.filter),
                 (QStringList{QStringLiteral("switch"), QStringLiteral("resolved")}));
        QCOMPARE(filterChanged.size(), 4);
        f.log.clear();
        QCOMPARE(f.filter.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
