// ctest-labels: watch observe threads
// Watch mode's own record (--history): a restart in the middle of a staleness keeps when it
// began; the recovery after the restart closes the period with the whole duration; old rows
// go after --history-days; the record is a file of its own.

#include "history/HistoryStore.h"
#include "tracker/TrackerTable.h"
#include "watch/ReadOnlyTarget.h"

#include <QDateTime>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run {
    ReadOnlyTarget target;
    TrackerTable tracker{&target};
    qint64 clock;
    explicit Run(qint64 now) : clock(now)
    {
        TrackerTable::Options o = tracker.options();
        o.staleAfterMs = 10'000;
        tracker.setOptions(o);
        tracker.staleness().setClock([this] { return clock; });
    }
};

/// One value read from the history file over a connection of the test's own.
QVariant scalar(const QString &path, const QString &sql)
{
    QVariant out;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"peek"_s);
        db.setDatabaseName(path);
        QSqlQuery q(db);
        if (db.open() && q.exec(sql) && q.next())
            out = q.value(0);
    }
    QSqlDatabase::removeDatabase(u"peek"_s);
    return out;
}

template <typename T> T settled(QFuture<T> future)
{
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, 20'000))
        qFatal("the history did not settle");
    if constexpr (!std::is_void_v<T>)
        return future.result();
}

} // namespace

class TestHistoryStore : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void restartInTheMiddleOfAStaleness()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"sub/history.db"_s); // the folder is made
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 120'000;
        {
            Run first(t0);
            HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
            QVERIFY(settled(history.open()).open.isEmpty());
            history.follow(&first.tracker);
            first.tracker.addJob(u"j1"_s, u"w1"_s, u"b1"_s);
            first.tracker.addJob(u"j2"_s, u"w2"_s, u"b1"_s);
            first.tracker.observeServed(u"j1"_s, u"w1"_s, u"b2"_s, u"k1"_s, t0 - 5);
            first.tracker.observeServed(u"j2"_s, u"w2"_s, u"b2"_s, {});
            QSignalSpy stale(&first.tracker, &TrackerTable::becameStale);
            first.clock += 15'000;
            first.tracker.staleness().recheck();
            QCOMPARE(stale.size(), 2);
            // j2's write lands in this run: a closed period.
            first.clock += 5'000;
            first.tracker.observePersisted(u"j2"_s, u"w2"_s, u"b2"_s);
            settled(history.flush());
            QCOMPARE(scalar(path, u"SELECT count(*) FROM stale_periods WHERE until IS NULL"_s),
                     QVariant(1));
        } // the process ends while j1 is stale

        Run second(t0 + 60'000);
        second.tracker.addJob(u"j1"_s, u"w1"_s, u"b1"_s); // the table still holds b1
        second.tracker.addJob(u"j2"_s, u"w2"_s, u"b2"_s);
        HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
        const QList<HistoryStore::OpenStale> open = settled(history.open()).open;
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.at(0).job, u"j1"_s);
        QCOMPARE(open.at(0).observed, u"b2"_s);
        QCOMPARE(open.at(0).cacheKey, u"k1"_s);
        QCOMPARE(open.at(0).sinceMs, t0);
        QCOMPARE(open.at(0).observedAtMs, t0 - 5);
        history.follow(&second.tracker);
        for (const HistoryStore::OpenStale &o : open)
            second.tracker.restoreObservation(o.job, o.worker, o.observed, o.cacheKey,
                                              o.observedAtMs, o.sinceMs);
        const quint32 j1 = second.tracker.findJob(u"j1"_s);
        QVERIFY(second.tracker.isStale(j1)); // at once, not after another grace
        QCOMPARE(second.tracker.staleness().since(j1), t0);
        QCOMPARE(second.tracker.backendText(second.tracker.state(j1).observed), u"b2"_s);

        QSignalSpy recovered(&second.tracker, &TrackerTable::staleRecovered);
        second.clock += 7'000;
        second.tracker.observePersisted(u"j1"_s, u"w1"_s, u"b2"_s);
        QCOMPARE(recovered.size(), 1);
        QCOMPARE(recovered.at(0).at(1).toLongLong(), 67'000); // across the restart
        QTest::qWait(50); // a re-announcement of the taken-up period must not add a row
        settled(history.flush());
        QCOMPARE(scalar(path, u"SELECT count(*) FROM stale_periods"_s), QVariant(2));
        QCOMPARE(scalar(path, u"SELECT duration_ms FROM stale_periods WHERE job = 'j1'"_s),
                 QVariant(67'000));
        QCOMPARE(scalar(path, u"SELECT count(*) FROM stale_periods WHERE until IS NULL"_s),
                 QVariant(0));
        QVERIFY(scalar(path, u"SELECT count(*) FROM observed_changes"_s).toInt() >= 2);
        QCOMPARE(scalar(path, u"SELECT to_backend FROM table_switches WHERE job = 'j1'"_s),
                 QVariant(u"b2"_s));
    }

    void caughtUpWhileAway()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.db"_s);
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() - 60'000;
        {
            Run first(t0);
            HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
            settled(history.open());
            history.follow(&first.tracker);
            first.tracker.addJob(u"j1"_s, {}, u"b1"_s);
            first.tracker.observeServed(u"j1"_s, {}, u"b2"_s, {});
            QSignalSpy stale(&first.tracker, &TrackerTable::becameStale);
            first.clock += 11'000;
            first.tracker.staleness().recheck();
            QCOMPARE(stale.size(), 1);
        }
        Run second(t0 + 40'000);
        second.tracker.addJob(u"j1"_s, {}, u"b2"_s); // written while nobody watched
        HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
        const auto open = settled(history.open()).open;
        history.follow(&second.tracker);
        QSignalSpy recovered(&second.tracker, &TrackerTable::staleRecovered);
        for (const HistoryStore::OpenStale &o : open)
            second.tracker.restoreObservation(o.job, o.worker, o.observed, o.cacheKey,
                                              o.observedAtMs, o.sinceMs);
        QCOMPARE(recovered.size(), 1);
        QCOMPARE(recovered.at(0).at(1).toLongLong(), 40'000);
        QCOMPARE(second.tracker.staleCount(), 0);
    }

    void retention()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.db"_s);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        {
            HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
            settled(history.open()); // creates the schema
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"seed"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            const qint64 old = now - 8 * 86'400'000LL, recent = now - 86'400'000LL;
            const QString s = u"'sqlite:fleet.db jobs'"_s;
            QVERIFY(q.exec(u"INSERT INTO table_switches VALUES (%1, %3, 'old', 'a', 'b'), "
                           "(%2, %3, 'new', 'a', 'b')"_s.arg(old)
                               .arg(recent)
                               .arg(s)));
            QVERIFY(q.exec(u"INSERT INTO observed_changes VALUES (%1, %3, 'old', NULL, 'b', "
                           "NULL), (%2, %3, 'new', NULL, 'b', NULL)"_s.arg(old)
                               .arg(recent)
                               .arg(s)));
            // An old period that ended goes; one still open stays, however old; another
            // watch's open period is not this one's.
            QVERIFY(q.exec(u"INSERT INTO stale_periods (source, job, observed, since, until) "
                           "VALUES (%2, 'old', 'b', %1, %1), (%2, 'open', 'b', %1, NULL), "
                           "('other', 'theirs', 'b', %1, NULL)"_s.arg(old)
                               .arg(s)));
        }
        QSqlDatabase::removeDatabase(u"seed"_s);
        HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
        const auto open = settled(history.open()).open;
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.at(0).job, u"open"_s);
        QCOMPARE(scalar(path, u"SELECT group_concat(job) FROM table_switches"_s),
                 QVariant(u"new"_s));
        QCOMPARE(scalar(path, u"SELECT group_concat(job) FROM observed_changes"_s),
                 QVariant(u"new"_s));
        QCOMPARE(scalar(path, u"SELECT count(*) FROM stale_periods"_s), QVariant(2));
    }

    void unusableFileFails()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"not-a-db"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
        f.close();
        HistoryStore history(path, 7, u"sqlite:fleet.db jobs"_s);
        const QString error = settled(history.open()).error;
        QVERIFY2(error.contains(path), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestHistoryStore)
#include "tst_historystore.moc"
