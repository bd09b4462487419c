// The job list model over real trackers and a real (in-memory SQLite) store.
#include "TrackerRig.h"
#include "models/ChangeFeed.h"
#include "models/JobFilterModel.h"
#include "models/JobListModel.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"
#include "watch/ReadOnlyTarget.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

class TestJobListModel : public QObject {
    Q_OBJECT

    struct Fixture : TrackerRig {
        ChangeFeed feed{&tracker, 1};
        JobListModel model{&feed};
        QAbstractItemModelTester tester{&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest};
        QVariant at(int row, int role) const { return model.data(model.index(row), role); }
    };

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void rowsAppearPerJobAndFollowPersistence()
    {
        Fixture f;
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        f.tracker.onEvent(QStringLiteral("j1"), QStringLiteral("w1"), QStringLiteral("b1"));
        f.tracker.onEvent(QStringLiteral("j2"), QStringLiteral("w2"), QStringLiteral("b2"),
                          QStringLiteral("k7"));
        QTRY_COMPARE(f.model.rowCount(), 2);
        QCOMPARE(inserted.size(), 1); // one batch, not one insert per event
        QCOMPARE(f.at(0, JobListModel::JobIdRole).toString(), QStringLiteral("j1"));
        QCOMPARE(f.at(1, JobListModel::WorkerRole).toString(), QStringLiteral("w2"));
        QCOMPARE(f.at(1, JobListModel::CacheHitRole).toBool(), true);
        QCOMPARE(f.at(0, JobListModel::CacheHitRole).toBool(), false);

        QVERIFY(f.settle());
        QTRY_COMPARE(f.at(0, JobListModel::BackendRole).toString(), QStringLiteral("b1"));
        QCOMPARE(f.at(0, JobListModel::PersistStateRole).toString(), QStringLiteral("saved"));
        QCOMPARE(f.at(1, JobListModel::BackendRole).toString(), QStringLiteral("b2"));
    }

    void watchModeShowsPendingThenStale()
    {
        ReadOnlyTarget target;
        TrackerTable tracker(&target);
        TrackerTable::Options o = tracker.options();
        o.staleAfterMs = 10'000;
        tracker.setOptions(o);
        qint64 clock = 1'000'000;
        tracker.staleness().setClock([&clock] { return clock; });
        ChangeFeed feed(&tracker, 1);
        JobListModel model(&feed);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        JobFilterModel stale;
        stale.setSourceModel(&model);
        stale.setState(QStringLiteral("stale"));
        const auto at = [&](int role) { return model.data(model.index(0), role); };
        tracker.addJob(QStringLiteral("j1"), QStringLiteral("w1"), QStringLiteral("b1"));
        tracker.observeServed(QStringLiteral("j1"), {}, QStringLiteral("b2"), {}, 777);
        QTRY_COMPARE(at(JobListModel::PersistStateRole).toString(), QStringLiteral("pending"));
        QCOMPARE(at(JobListModel::PendingRole).toBool(), true);
        QCOMPARE(at(JobListModel::StaleRole).toBool(), false);
        QCOMPARE(at(JobListModel::StaleSinceRole).toLongLong(), clock);
        QCOMPARE(at(JobListModel::ObservedAtRole).toLongLong(), 777);
        QCOMPARE(stale.rowCount(), 0);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        clock += 10'000;
        tracker.staleness().recheck(); // the grace passes: a change the model hears of
        QTRY_VERIFY(!changed.isEmpty());
        QCOMPARE(at(JobListModel::PersistStateRole).toString(), QStringLiteral("stale"));
        QCOMPARE(at(JobListModel::StaleRole).toBool(), true);
        QCOMPARE(at(JobListModel::PendingRole).toBool(), false);
        QTRY_COMPARE(stale.rowCount(), 1); // the stale filter follows
        tracker.observePersisted(QStringLiteral("j1"), {}, QStringLiteral("b2"));
        QTRY_COMPARE(at(JobListModel::PersistStateRole).toString(), QStringLiteral("saved"));
        QCOMPARE(at(JobListModel::StaleSinceRole).toLongLong(), 0);
    }

    void changesArriveAsOneBatchPerFrame()
    {
        Fixture f;
        for (int j = 0; j < 50; ++j)
            f.tracker.onEvent(QStringLiteral("j%1").arg(j), QStringLiteral("w"),
                              QStringLiteral("b1"));
        QVERIFY(f.settle());
        QTRY_COMPARE(f.model.rowCount(), 50);
        f.feed.drain();
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        for (int j = 0; j < 50; ++j)
            f.tracker.onEvent(QStringLiteral("j%1").arg(j), QStringLiteral("w"),
                              QStringLiteral("b2"));
        f.feed.drain();
        // 50 contiguous rows changed: one dataChanged covering them all.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), 49);
        QCOMPARE(f.at(3, JobListModel::PersistStateRole).toString(), QStringLiteral("saving"));
        QCOMPARE(f.at(3, JobListModel::BackendRole).toString(), QStringLiteral("b1"));
        QCOMPARE(f.at(3, JobListModel::ObservedRole).toString(), QStringLiteral("b2"));
        QVERIFY(f.at(3, JobListModel::StaleRole).toBool());
        QVERIFY(f.settle());
        QTRY_COMPARE(f.at(3, JobListModel::BackendRole).toString(), QStringLiteral("b2"));
        QVERIFY(!f.at(3, JobListModel::StaleRole).toBool());
    }

    void roleNamesCoverEveryRole()
    {
        Fixture f;
        const auto names = f.model.roleNames();
        for (int role = JobListModel::JobIdRole; role <= JobListModel::LastSwitchRole; ++role)
            QVERIFY2(names.contains(role), qPrintable(QString::number(role)));
    }
};

QTEST_GUILESS_MAIN(TestJobListModel)
#include "tst_joblistmodel.moc"
