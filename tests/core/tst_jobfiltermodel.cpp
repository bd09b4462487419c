// JobFilterModel over the real job list: real tracker, real (in-memory SQLite) store.
#include "TrackerRig.h"
#include "faults/FaultInjector.h"
#include "models/ChangeFeed.h"
#include "models/JobFilterModel.h"
#include "models/JobListModel.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

class TestJobFilterModel : public QObject {
    Q_OBJECT

    struct Fixture : TrackerRig {
        ChangeFeed feed{&tracker, 1};
        JobListModel jobs{&feed};
        JobFilterModel model;
        QAbstractItemModelTester tester{&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest};
        Fixture() { model.setSourceModel(&jobs); }
        bool settle()
        {
            const bool ok = TrackerRig::settle();
            feed.drain();
            return ok;
        }
        /// job-1 … job-12 on workers w-a (odd) and w-b (even), on b1 (1–6) and b2 (7–12).
        void populate()
        {
            for (int j = 1; j <= 12; ++j)
                tracker.onEvent(QStringLiteral("job-%1").arg(j),
                                j % 2 ? QStringLiteral("w-a") : QStringLiteral("w-b"),
                                j <= 6 ? QStringLiteral("b1") : QStringLiteral("b2"));
        }
        QStringList column(int role = JobListModel::JobIdRole) const
        {
            QStringList out;
            for (int r = 0; r < model.rowCount(); ++r)
                out << model.index(r, 0).data(role).toString();
            return out;
        }
    };

    static QStringList ids(std::initializer_list<int> numbers)
    {
        QStringList out;
        for (const int n : numbers)
            out << QStringLiteral("job-%1").arg(n);
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void textMatchesJobOrWorkerCaseInsensitively()
    {
        Fixture f;
        f.populate();
        QVERIFY(f.settle());
        QCOMPARE(f.model.count(), 12);
        QSignalSpy count(&f.model, &JobFilterModel::countChanged);
        f.model.setText(QStringLiteral("JOB-1"));
        QCOMPARE(f.column(), ids({1, 10, 11, 12}));
        QCOMPARE(f.model.count(), 4);
        QCOMPARE(count.size(), 1);
        f.model.setText(QStringLiteral("w-B"));
        QCOMPARE(f.column(), ids({2, 4, 6, 8, 10, 12}));
        f.model.setText({});
        QCOMPARE(f.model.count(), 12);
    }

    void backendMatchesPersistedOrObserved()
    {
        Fixture f;
        f.populate();
        QVERIFY(f.settle());
        f.model.setBackend(QStringLiteral("b2"));
        QCOMPARE(f.column(), ids({7, 8, 9, 10, 11, 12}));

        // job-1's move to b2 fails: persisted b1, observed b2; both filters show it.
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=job-1"), &error));
        f.tracker.onEvent(QStringLiteral("job-1"), QStringLiteral("w-a"), QStringLiteral("b2"));
        QVERIFY(f.settle());
        f.model.settle();
        QCOMPARE(f.column(), ids({1, 7, 8, 9, 10, 11, 12}));
        f.model.setBackend(QStringLiteral("b1"));
        QCOMPARE(f.column(), ids({1, 2, 3, 4, 5, 6}));
    }

    void stateFilters_data()
    {
        QTest::addColumn<QString>("state");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("all") << QString() << ids({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        QTest::addRow("saved") << QStringLiteral("saved")
                               << ids({1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        QTest::addRow("retry pending") << QStringLiteral("retry pending") << ids({3});
        QTest::addRow("stale") << QStringLiteral("stale") << ids({3});
        QTest::addRow("failing") << QStringLiteral("failing") << ids({3, 5});
        QTest::addRow("saving") << QStringLiteral("saving") << QStringList();
    }

    void stateFilters()
    {
        QFETCH(QString, state);
        QFETCH(QStringList, expected);
        Fixture f;
        f.populate();
        QVERIFY(f.settle());
        // job-3 fails and waits for a retry; job-5 failed once and recovered.
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=job-3"), &error));
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=job-5"), &error));
        f.tracker.onEvent(QStringLiteral("job-3"), QStringLiteral("w-a"), QStringLiteral("b2"));
        f.tracker.onEvent(QStringLiteral("job-5"), QStringLiteral("w-a"), QStringLiteral("b2"));
        QVERIFY(f.settle());
        f.tracker.onEvent(QStringLiteral("job-5"), QStringLiteral("w-a"), QStringLiteral("b2"));
        QVERIFY(f.settle());
        f.model.setState(state);
        QCOMPARE(f.column(), expected);
    }

    void sortsInNaturalOrderAndBack()
    {
        Fixture f;
        f.populate();
        QVERIFY(f.settle());
        QSignalSpy sortChanged(&f.model, &JobFilterModel::sortChanged);
        f.model.sortBy(QStringLiteral("jobId"), false);
        QCOMPARE(f.column(), ids({12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1}));
        f.model.sortBy(QStringLiteral("jobId"), true);
        QCOMPARE(f.column(), ids({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
        QCOMPARE(f.model.sortRoleName(), QStringLiteral("jobId"));
        QVERIFY(f.model.sortAscending());
        QCOMPARE(sortChanged.size(), 2);
        // Ties (same worker) keep the order first seen; descending is its exact reverse.
        f.model.sortBy(QStringLiteral("worker"), true);
        QCOMPARE(f.column(), ids({1, 3, 5, 7, 9, 11, 2, 4, 6, 8, 10, 12}));
        f.model.sortBy(QStringLiteral("worker"), false);
        QCOMPARE(f.column(), ids({12, 10, 8, 6, 4, 2, 11, 9, 7, 5, 3, 1}));
        // Unknown or empty: the order first seen.
        f.model.sortBy(QString());
        QCOMPARE(f.model.sortRoleName(), QString());
        QCOMPARE(f.column(), ids({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}));
    }

    void naturalCompare_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<int>("sign");
        QTest::addRow("numbers") << "job-2"
                                 << "job-10" << -1;
        QTest::addRow("case") << "Job-3"
                              << "job-4" << -1;
        QTest::addRow("prefix") << "job"
                                << "job-1" << -1;
        QTest::addRow("zeros") << "b007"
                               << "b8" << -1;
        QTest::addRow("long") << "j123456789012345678901"
                              << "j99" << 1;
        QTest::addRow("equal") << "w1"
                               << "w1" << 0;
    }

    void naturalCompare()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(int, sign);
        const int c = JobFilterModel::naturalCompare(a, b);
        QCOMPARE((c > 0) - (c < 0), sign);
        const int r = JobFilterModel::naturalCompare(b, a);
        QCOMPARE((r > 0) - (r < 0), -sign);
    }

    void updatesSettleIntoOrderAndFilter()
    {
        Fixture f;
        f.populate();
        QVERIFY(f.settle());
        f.model.sortBy(QStringLiteral("backend"), true);
        QCOMPARE(f.column(JobListModel::BackendRole).first(), QStringLiteral("b1"));
        f.model.setState(QStringLiteral("saved"));
        // job-2 moves to b3: values update in place at once, order and filter at settle().
        f.tracker.onEvent(QStringLiteral("job-2"), QStringLiteral("w-b"), QStringLiteral("b3"));
        f.feed.drain();
        QCOMPARE(f.model.count(), 12); // still shown although "saving"
        QVERIFY(f.settle());
        QCOMPARE(f.model.index(1, 0).data(JobListModel::BackendRole).toString(),
                 QStringLiteral("b3"));
        QTRY_COMPARE(f.column().last(), QStringLiteral("job-2")); // the settle timer
        QCOMPARE(f.column(JobListModel::BackendRole).last(), QStringLiteral("b3"));

        // A job that stops matching leaves at the next settle.
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=job-4"), &error));
        f.tracker.onEvent(QStringLiteral("job-4"), QStringLiteral("w-b"), QStringLiteral("b2"));
        QVERIFY(f.settle());
        f.model.settle();
        QVERIFY(!f.column().contains(QStringLiteral("job-4")));
        QCOMPARE(f.model.count(), 11);
        // New jobs enter in sorted place.
        f.tracker.onEvent(QStringLiteral("job-13"), QStringLiteral("w-a"), QStringLiteral("b1"));
        QVERIFY(f.settle());
        f.model.settle();
        QCOMPARE(f.model.count(), 12);
        // b1: 1, 3, 5, 6, 13 (job-4 is filtered out); b2: 7–12; b3: 2.
        QCOMPARE(f.column(JobListModel::BackendRole),
                 (QStringList(5, QStringLiteral("b1")) + QStringList(6, QStringLiteral("b2")) +
                  QStringList{QStringLiteral("b3")}));
        QCOMPARE(f.column().mid(0, 5), ids({1, 3, 5, 6, 13}));
    }
};

QTEST_GUILESS_MAIN(TestJobFilterModel)
#include "tst_jobfiltermodel.moc"
