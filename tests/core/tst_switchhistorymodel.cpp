// A job's timeline from real history rows (written by the tracker into in-memory SQLite)
// merged with a failed attempt injected between tracker and store.
#include "faults/FaultInjector.h"
#include "models/SwitchHistoryModel.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QAbstractItemModelTester>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestSwitchHistoryModel : public QObject {
    Q_OBJECT

    static DbUrl url(const QString &text)
    {
        QString error;
        return *DbUrl::parse(text, &error);
    }

    struct Fixture {
        JobStore store{url(QStringLiteral("sqlite::memory:"))};
        FaultInjector faults{&store};
        TrackerTable tracker{&faults};
        SwitchHistoryModel model;
        QAbstractItemModelTester tester{&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest};
        Fixture()
        {
            auto open = store.open();
            open.waitForFinished();
            model.setSources(&store, &tracker);
        }
        bool event(const QString &job, const QString &backend, const QString &cacheKey = {})
        {
            tracker.onEvent(job, QStringLiteral("w1"), backend, cacheKey);
            tracker.flush();
            return QTest::qWaitFor([this] { return tracker.writesInFlight() == 0; }, 10'000);
        }
        QString row(int r) const
        {
            const QModelIndex i = model.index(r);
            QString text = i.data(SwitchHistoryModel::KindRole).toString() + u' ' +
                           i.data(SwitchHistoryModel::FromRole).toString() + u'>' +
                           i.data(SwitchHistoryModel::ToRole).toString();
            if (!i.data(SwitchHistoryModel::CacheKeyRole).isNull() &&
                !i.data(SwitchHistoryModel::CacheKeyRole).toString().isNull())
                text += u' ' + i.data(SwitchHistoryModel::CacheKeyRole).toString();
            return text;
        }
        QStringList rows() const
        {
            QStringList out;
            for (int r = 0; r < model.rowCount(); ++r)
                out << row(r);
            return out;
        }
    };

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void switchesAndFailuresNewestFirst()
    {
        Fixture f;
        const QString j1 = QStringLiteral("j1");
        QVERIFY(f.event(j1, QStringLiteral("b1")));
        QVERIFY(f.event(j1, QStringLiteral("b2"), QStringLiteral("k7")));
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=j1"), &error));
        QVERIFY(f.event(j1, QStringLiteral("b3"))); // fails: the database keeps b2
        QTest::qWait(2);                            // the retry gets a later timestamp
        QVERIFY(f.event(j1, QStringLiteral("b3"))); // the retry succeeds
        QVERIFY(f.event(QStringLiteral("other"), QStringLiteral("b1")));

        QSignalSpy loading(&f.model, &SwitchHistoryModel::loadingChanged);
        f.model.load(j1);
        QCOMPARE(f.model.jobId(), j1);
        QVERIFY(f.model.isLoading()); // asynchronous: never blocks on the database
        QTRY_VERIFY(!f.model.isLoading());
        QCOMPARE(loading.size(), 2);
        QCOMPARE(f.rows(),
                 (QStringList{QStringLiteral("switch b2>b3"), QStringLiteral("failure b2>b3"),
                              QStringLiteral("switch b1>b2 k7"), QStringLiteral("resolved >b1")}));
        QVERIFY(f.model.index(1)
                    .data(SwitchHistoryModel::ErrorRole)
                    .toString()
                    .contains(QStringLiteral("injected")));
        QVERIFY(f.model.index(3).data(SwitchHistoryModel::CacheKeyRole).isNull() ||
                f.model.index(3).data(SwitchHistoryModel::CacheKeyRole).toString().isNull());
        const qint64 newest = f.model.index(0).data(SwitchHistoryModel::TimeRole).toLongLong();
        const qint64 oldest = f.model.index(3).data(SwitchHistoryModel::TimeRole).toLongLong();
        QVERIFY(newest >= oldest && oldest > 0);
        QVERIFY(f.model.error().isEmpty());

        // A switch persisted for the shown job appears on top without another load().
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        QVERIFY(f.event(j1, QStringLiteral("b4")));
        QTRY_COMPARE(f.model.rowCount(), 5);
        QCOMPARE(f.row(0), QStringLiteral("switch b3>b4"));
        QCOMPARE(inserted.first().at(1).toInt(), 0); // inserted at the top, not a reset
        // A failure for the shown job shows at once.
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=j1"), &error));
        QVERIFY(f.event(j1, QStringLiteral("b5")));
        QCOMPARE(f.row(0), QStringLiteral("failure b4>b5"));

        // Another job's timeline replaces it.
        f.model.load(QStringLiteral("other"));
        QTRY_COMPARE(f.rows(), QStringList{QStringLiteral("resolved >b1")});
        f.model.load({});
        QCOMPARE(f.model.rowCount(), 0);
    }

    void pagesOlderRowsOnDemand()
    {
        Fixture f;
        const QString job = QStringLiteral("busy");
        for (int i = 0; i < 120; ++i)
            QVERIFY(f.event(job, QStringLiteral("b%1").arg(i % 2)));
        // The model tester calls fetchMore() as views do, so all pages arrive; each page
        // is one insertion of at most 50 rows at the bottom.
        QSignalSpy inserted(&f.model, &QAbstractItemModel::rowsInserted);
        f.model.load(job);
        QTRY_COMPARE(f.model.rowCount(), 120);
        QTRY_VERIFY(!f.model.isLoading());
        QCOMPARE(inserted.size(), 3);
        QCOMPARE(inserted.at(0).at(1).toInt(), 0);
        QCOMPARE(inserted.at(0).at(2).toInt(), 49);
        QCOMPARE(inserted.at(1).at(1).toInt(), 50);
        QCOMPARE(inserted.at(1).at(2).toInt(), 99);
        QCOMPARE(inserted.at(2).at(1).toInt(), 100);
        QCOMPARE(inserted.at(2).at(2).toInt(), 119);
        QVERIFY(!f.model.canFetchMore({}));
        QCOMPARE(f.row(0), QStringLiteral("switch b0>b1"));
        QCOMPARE(f.row(119), QStringLiteral("resolved >b0"));
        for (int r = 1; r < 120; ++r)
            QVERIFY(f.model.index(r - 1).data(SwitchHistoryModel::TimeRole).toLongLong() >=
                    f.model.index(r).data(SwitchHistoryModel::TimeRole).toLongLong());
    }

    void unreachableDatabaseIsAnErrorNotAHang()
    {
        Fixture f;
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("fail-next=1,job=j9"), &error));
        QVERIFY(f.event(QStringLiteral("j9"), QStringLiteral("b1")));

        // A store whose database is unusable (not a database file): reads fail with a message.
        QTemporaryDir dir;
        QFile junk(dir.filePath(QStringLiteral("junk.db")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        JobStore broken(url(QStringLiteral("sqlite:") + junk.fileName()));
        f.model.setSources(&broken, &f.tracker);
        QSignalSpy errorChanged(&f.model, &SwitchHistoryModel::errorChanged);
        f.model.load(QStringLiteral("j9"));
        QTRY_VERIFY_WITH_TIMEOUT(!f.model.error().isEmpty(), 30000);
        QVERIFY(f.model.error().contains(QStringLiteral("not a SQLite database")));
        QVERIFY(!f.model.isLoading());
        QCOMPARE(errorChanged.size(), 1);
        // The failed attempt is known without the database.
        QCOMPARE(f.rows(), QStringList{QStringLiteral("failure >b1")});
        QVERIFY(!f.model.canFetchMore({}));
    }

    void failuresAreBounded()
    {
        Fixture f;
        QString error;
        QVERIFY(f.faults.apply(QStringLiteral("offline,job=j1"), &error));
        for (int i = 0; i < SwitchHistoryModel::FailuresPerJob + 5; ++i)
            QVERIFY(f.event(QStringLiteral("j1"), QStringLiteral("b%1").arg(i)));
        const auto kept = f.model.failures(QStringLiteral("j1"));
        QCOMPARE(kept.size(), SwitchHistoryModel::FailuresPerJob);
        QCOMPARE(kept.last().to, QStringLiteral("b%1").arg(SwitchHistoryModel::FailuresPerJob + 4));
        QCOMPARE(kept.first().to, QStringLiteral("b5")); // the oldest five fell off
    }
};

QTEST_GUILESS_MAIN(TestSwitchHistoryModel)
#include "tst_switchhistorymodel.moc"
