// BackendModel over a real simulation, real tracker and real (in-memory SQLite) store.
#include "TrackerRig.h"
#include "faults/FaultInjector.h"
#include "models/BackendModel.h"
#include "sim/GatewaySim.h"
#include "sources/EventDispatcher.h"
#include "sources/EventLine.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

class TestBackendModel : public QObject {
    Q_OBJECT

    struct Fixture : TrackerRig {
        EventDispatcher dispatcher{&tracker, &faults};
        BackendModel model;
        QAbstractItemModelTester tester{&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest};
        QVariant at(const QString &backend, int role) const
        {
            return model.data(model.index(model.indexOf(backend)), role);
        }
        void event(const QString &job, const QString &backend)
        {
            tracker.onEvent(job, QStringLiteral("w-") + job, backend);
        }
    };

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void simulationRowsAndLoad()
    {
        Fixture f;
        GatewaySim::Options options;
        options.jobs = 12;
        options.workers = 6;
        options.backends = 3;
        options.rate = 4;
        GatewaySim sim(options);
        sim.setPreferredBackend([&f](const QString &job) {
            const quint32 j = f.tracker.findJob(job);
            return j == TrackerTable::None ? QString() : f.tracker.preferredBackend(j);
        });
        connect(
            &sim, &GatewaySim::event, &f.tracker,
            [&f](const QString &job, const QString &worker, const QString &backend,
                 const QString &cacheKey) { f.tracker.onEvent(job, worker, backend, cacheKey); });
        f.model.setSources(&f.tracker, &sim, nullptr);

        QStringList simIds;
        for (const BackendInfo &b : sim.backends())
            simIds << b.id;
        QCOMPARE(f.model.ids(), simIds);
        QCOMPARE(f.model.rowCount(), 3);
        QCOMPARE(f.model.indexOf(simIds.at(1)), 1);
        QCOMPARE(f.model.indexOf(QStringLiteral("nope")), -1);

        for (int i = 0; i < 20; ++i) {
            sim.advance(0.25);
            QVERIFY(f.settle());
        }
        f.model.refresh();
        int persisted = 0;
        for (const BackendInfo &b : sim.backends()) {
            QCOMPARE(f.at(b.id, BackendModel::CapacityRole).toInt(), b.capacity);
            QCOMPARE(f.at(b.id, BackendModel::RunningRole).toInt(), b.running);
            QCOMPARE(f.at(b.id, BackendModel::WaitingRole).toInt(), b.waiting);
            QCOMPARE(f.at(b.id, BackendModel::KvUseRole).toDouble(), b.kvCacheUse);
            QCOMPARE(f.at(b.id, BackendModel::HitRateRole).toDouble(), b.hitRate);
            QVERIFY(f.at(b.id, BackendModel::HasLoadRole).toBool());
            persisted += f.at(b.id, BackendModel::JobsRole).toInt();
        }
        QVERIFY(persisted > 0);
        QCOMPARE(qsizetype(persisted), f.tracker.jobCount()); // every job resolved and saved

        // A state change shows at once, without waiting for the refresh timer.
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        QVERIFY(sim.takeOffline(simIds.at(0)));
        QCOMPARE(f.at(simIds.at(0), BackendModel::StateRole).toString(), QStringLiteral("offline"));
        QVERIFY(changed.size() >= 1);

        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QSignalSpy idsChanged(&f.model, &BackendModel::idsChanged);
        const QString added = sim.addBackend();
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(f.model.ids().last(), added);
        QVERIFY(idsChanged.size() >= 1);
        QSignalSpy removed(&f.model, &QAbstractItemModel::rowsRemoved);
        QVERIFY(sim.removeBackend(simIds.at(1)));
        QCOMPARE(removed.size(), 1);
        QCOMPARE(f.model.indexOf(simIds.at(1)), -1);
        QCOMPARE(f.model.rowCount(), 3);
    }

    void countsFollowPersistedNotObserved()
    {
        Fixture f;
        f.model.setSources(&f.tracker, nullptr, &f.dispatcher);
        for (const char *job : {"j1", "j2", "j3"})
            f.event(QString::fromLatin1(job), QStringLiteral("b1"));
        QVERIFY(f.settle());
        f.model.refresh();
        QCOMPARE(f.model.ids(), QStringList{QStringLiteral("b1")});
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::JobsRole).toInt(), 3);
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::StateRole).toString(),
                 QStringLiteral("online"));
        QVERIFY(!f.at(QStringLiteral("b1"), BackendModel::HasLoadRole).toBool());
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::KvUseRole).toDouble(), -1.0);
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::CapacityRole).toInt(), 0);

        // The write for j1's move fails: the job runs on b2 but the database says b1.
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=j1"), &error));
        f.event(QStringLiteral("j1"), QStringLiteral("b2"));
        QVERIFY(f.settle());
        f.model.refresh();
        QCOMPARE(f.model.ids(), (QStringList{QStringLiteral("b1"), QStringLiteral("b2")}));
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::JobsRole).toInt(), 3);
        QCOMPARE(f.at(QStringLiteral("b2"), BackendModel::JobsRole).toInt(), 0);
        QCOMPARE(f.at(QStringLiteral("b2"), BackendModel::IncomingRole).toInt(), 1);

        // The next event retries and succeeds: now the count moves.
        f.event(QStringLiteral("j1"), QStringLiteral("b2"));
        QVERIFY(f.settle());
        f.model.refresh();
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::JobsRole).toInt(), 2);
        QCOMPARE(f.at(QStringLiteral("b2"), BackendModel::JobsRole).toInt(), 1);
        QCOMPARE(f.at(QStringLiteral("b2"), BackendModel::IncomingRole).toInt(), 0);
    }

    void backendLinesNameAndStateBackends()
    {
        Fixture f;
        f.model.setSources(&f.tracker, nullptr, &f.dispatcher);
        f.event(QStringLiteral("j1"), QStringLiteral("b1"));
        QVERIFY(f.settle());
        f.model.refresh();
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        f.dispatcher.dispatch(
            EventLine::backendLine(QStringLiteral("b9"), QStringLiteral("offline")));
        f.dispatcher.dispatch(
            EventLine::backendLine(QStringLiteral("b1"), QStringLiteral("saturated")));
        // No refresh() call: backend lines apply at once.
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(f.model.ids(), (QStringList{QStringLiteral("b1"), QStringLiteral("b9")}));
        QCOMPARE(f.at(QStringLiteral("b9"), BackendModel::StateRole).toString(),
                 QStringLiteral("offline"));
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::StateRole).toString(),
                 QStringLiteral("saturated"));
    }

    void oneDataChangedPerRefreshAndNoneWhenIdle()
    {
        Fixture f;
        f.model.setSources(&f.tracker, nullptr, nullptr);
        for (int j = 0; j < 30; ++j)
            f.event(QStringLiteral("j%1").arg(j), QStringLiteral("b%1").arg(j % 3));
        QVERIFY(f.settle());
        f.model.refresh();
        QCOMPARE(f.model.rowCount(), 3);
        QSignalSpy changed(&f.model, &QAbstractItemModel::dataChanged);
        f.model.refresh();
        QCOMPARE(changed.size(), 0);    // nothing moved: views are left alone
        for (int j = 0; j < 30; j += 3) // every job on b0 moves to b1
            f.event(QStringLiteral("j%1").arg(j), QStringLiteral("b1"));
        QVERIFY(f.settle());
        f.model.refresh();
        QCOMPARE(f.at(QStringLiteral("b0"), BackendModel::JobsRole).toInt(), 0);
        QCOMPARE(f.at(QStringLiteral("b1"), BackendModel::JobsRole).toInt(), 20);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).value<QModelIndex>().row(), 0);
        QCOMPARE(changed.first().at(1).value<QModelIndex>().row(), 2);
        // The timer refreshes on its own, too.
        f.model.setRefreshInterval(10);
        f.event(QStringLiteral("j0"), QStringLiteral("b0"));
        QVERIFY(f.settle());
        QTRY_COMPARE(f.at(QStringLiteral("b0"), BackendModel::JobsRole).toInt(), 1);
    }

    void roleNamesCoverEveryRole()
    {
        BackendModel model;
        const auto names = model.roleNames();
        for (int role = BackendModel::BackendIdRole; role <= BackendModel::HasLoadRole; ++role)
            QVERIFY2(names.contains(role), qPrintable(QString::number(role)));
        QCOMPARE(names.value(BackendModel::KvUseRole), QByteArray("kvUse"));
    }
};

QTEST_GUILESS_MAIN(TestBackendModel)
#include "tst_backendmodel.moc"
