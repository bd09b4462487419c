// ctest-labels: store threads
// Outages made for real: PostgreSQL's postmaster killed with -9 mid-run and restarted, and
// SQLite on a tiny tmpfs that fills up. Trackers recover and end with current == db.

#include "StoreTestSupport.h"

#include "tracker/TrackerTable.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <csignal>
#include <sys/mount.h>

using namespace StoreTest;
using namespace Qt::StringLiterals;

namespace {

/// True when /proc/PID/stat is gone or says zombie.
bool processGone(const QString &statPath)
{
    QFile f(statPath);
    if (!f.open(QIODevice::ReadOnly))
        return true;
    const QByteArray stat = f.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    return close > 0 && stat.mid(close + 2, 1) == "Z";
}

bool settle(TrackerTable &tracker, int ms = 60000)
{
    tracker.flush();
    return QTest::qWaitFor([&] { return tracker.writesInFlight() == 0; }, ms);
}

} // namespace

class TestStoreOutage : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void postgresKilledAndRestarted()
    {
        STORE_REQUIRE_PG();
        const QString data = qEnvironmentVariable("STICKYBOARD_TEST_PG_DATA");
        if (data.isEmpty() || qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL")) {
            if (qEnvironmentVariable("CI") == u"true")
                QFAIL("STICKYBOARD_TEST_PG_CTL/_DATA unset: the server cannot be restarted here");
            QSKIP("STICKYBOARD_TEST_PG_CTL/_DATA unset: the server cannot be restarted here");
        }
        const DbUrl url = *pgUrl();
        const QString schema = uniqueSchema();
        JobStore::Options options;
        options.pgSchema = schema;
        options.connectTimeoutS = 2;
        {
            JobStore store(url, options);
            QVERIFY(errorOf(store.open()).isEmpty());
            TrackerTable tracker(&store);
            constexpr int kJobs = 300;
            const QStringList backends{u"b1"_s, u"b2"_s, u"b3"_s};
            auto round = [&](int r) {
                for (int j = 0; j < kJobs; ++j)
                    tracker.onEvent(u"j%1"_s.arg(j), u"w%1"_s.arg(j % 10),
                                    backends.at((j + r) % 3));
                tracker.flush();
            };
            int r = 0;
            for (; r < 10; ++r) {
                round(r);
                QTest::qWait(20);
            }
            QFile pidFile(data + u"/data/postmaster.pid"_s);
            QVERIFY(pidFile.open(QIODevice::ReadOnly));
            const qint64 pid = pidFile.readLine().trimmed().toLongLong();
            QVERIFY(pid > 1);
            QCOMPARE(::kill(pid_t(pid), SIGKILL), 0); // writes are in flight now
            // pg_ctl takes a zombie for a running server: wait until it is reaped.
            const QString proc = u"/proc/%1/stat"_s.arg(pid);
            QTest::qWaitFor([&] { return processGone(proc); }, 10000);
            if (QFile::exists(proc))
                QFile::remove(data + u"/data/postmaster.pid"_s); // a zombie: its lock is stale
            for (; r < 20; ++r) {
                round(r);
                QTest::qWait(20);
            }
            QVERIFY(settle(tracker));
            QVERIFY(tracker.counters().failed > 0);
            // Its children end on their own once the postmaster is gone; until then the
            // old shared memory blocks a new server.
            bool resumed = false;
            for (int attempt = 0; attempt < 30 && !resumed; ++attempt) {
                resumed = pgControl(u"resume"_s);
                if (!resumed)
                    QTest::qWait(1000);
            }
            QVERIFY2(resumed, "PostgreSQL did not start again after kill -9");
            const quint64 failedBefore = tracker.counters().failed;
            for (; r < 25; ++r) {
                round(r);
                QTest::qWait(20);
            }
            QVERIFY(settle(tracker));
            QCOMPARE(tracker.counters().failed, failedBefore);
            QCOMPARE(tracker.staleCount(), 0);
            const QHash<QString, QString> table = tableBackends(url, schema);
            QCOMPARE(table.size(), kJobs);
            for (int j = 0; j < kJobs; ++j) {
                const QString id = u"j%1"_s.arg(j);
                QCOMPARE(tracker.preferredBackend(tracker.findJob(id)), table.value(id));
                QCOMPARE(table.value(id), backends.at((j + r - 1) % 3));
            }
        }
        dropSchema(url, schema);
    }

    void sqliteDiskFull()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString mnt = dir.filePath(u"tiny"_s);
        QVERIFY(QDir().mkpath(mnt));
        if (::mount("tmpfs", mnt.toLocal8Bit().constData(), "tmpfs", 0, "size=8m") != 0) {
            const QString why = u"cannot mount a tmpfs (%1): needs root"_s.arg(
                QString::fromLocal8Bit(strerror(errno)));
            if (qEnvironmentVariable("CI") == u"true")
                QFAIL(qPrintable(why));
            QSKIP(qPrintable(why));
        }
        auto unmount = qScopeGuard([&] { ::umount2(mnt.toLocal8Bit().constData(), MNT_DETACH); });
        DbUrl url;
        url.path = mnt + u"/jobs.db"_s;
        const QString filler = mnt + u"/filler"_s;
        auto batch = [](int b) {
            QList<PersistWrite> writes;
            for (int i = 0; i < 400; ++i)
                writes.append(write(u"job-%1-%2-%3"_s.arg(b).arg(i).arg(QString(150, u'x')),
                                    u"w1"_s, {}, u"b%1"_s.arg(i % 4)));
            return writes;
        };
        {
            JobStore store(url);
            QVERIFY(errorOf(store.open()).isEmpty());
            TrackerTable tracker(&store);
            for (const PersistWrite &w : batch(0))
                tracker.onEvent(w.jobId, w.workerId, w.toBackend);
            QVERIFY(settle(tracker));
            QCOMPARE(tracker.counters().failed, 0u);

            // Fill the file system to the last byte.
            QFile fill(filler);
            QVERIFY(fill.open(QIODevice::WriteOnly));
            const QByteArray block(4096, 'f');
            while (fill.write(block) == block.size() && fill.flush()) {
            }
            fill.close();

            QString lastError;
            QObject::connect(
                &tracker, &TrackerTable::persistFailed, &tracker,
                [&](quint32, quint32, quint32, const QString &error) { lastError = error; });
            int b = 1;
            for (; b < 30 && lastError.isEmpty(); ++b) {
                for (const PersistWrite &w : batch(b))
                    tracker.onEvent(w.jobId, w.workerId, w.toBackend);
                QVERIFY(settle(tracker));
            }
            QVERIFY2(!lastError.isEmpty(), "writes kept succeeding on a full disk");
            QVERIFY2(lastError.contains(u"the disk is full"_s), qPrintable(lastError));
            QVERIFY(tracker.retryPendingCount() > 0);
            // Still running, still reading.
            auto read = store.readJobBackends();
            QVERIFY(settles(read));
            QVERIFY(errorOf(read).isEmpty());

            // Space comes back: the failed jobs retry on their next event and succeed.
            QVERIFY(QFile::remove(filler));
            const quint64 failed = tracker.counters().failed;
            for (int k = 0; k < b; ++k)
                for (const PersistWrite &w : batch(k))
                    tracker.onEvent(w.jobId, w.workerId, w.toBackend);
            QVERIFY(settle(tracker));
            QCOMPARE(tracker.counters().failed, failed);
            QCOMPARE(tracker.staleCount(), 0);
            const QHash<QString, QString> table = tableBackends(url);
            for (qsizetype j = 0; j < tracker.jobCount(); ++j) {
                const QString id = tracker.jobId(quint32(j));
                QCOMPARE(tracker.preferredBackend(quint32(j)), table.value(id));
            }
        }
        DirectDb d(url, {}, u"check"_s);
        QCOMPARE(d.scalar(u"PRAGMA integrity_check"_s).toString(), u"ok"_s);
    }

    void cleanupTestCase()
    {
        if (pgUrl() && !qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL"))
            pgControl(u"resume"_s);
    }
};

QTEST_GUILESS_MAIN(TestStoreOutage)
#include "tst_store_outage.moc"
