// ctest-labels: store threads
// Failures made by other processes, not by mocks: a second program holding SQLite's write
// lock, and a PostgreSQL server that stops and comes back (tests/support/pg-throwaway.sh).
// ctest-labels: threads store

#include "StoreTestSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <poll.h>
#include <unistd.h>

using namespace StoreTest;
using namespace Qt::StringLiterals;

namespace {

const char *const kHoldLock = "--hold-sqlite-write-lock";

/// Child mode: take the write lock of the database at argv[2], say "locked", and keep it
/// until a line arrives on stdin (or 60 s pass, so a crashed parent cannot leave it behind).
int holdSqliteWriteLock(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int rc = 1;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"holder"_s);
        db.setDatabaseName(QString::fromLocal8Bit(argv[2]));
        QSqlQuery q(db);
        if (db.open() && q.exec(u"BEGIN IMMEDIATE"_s) &&
            q.exec(u"INSERT INTO workers (id, name) VALUES ('holder', 'other process')"_s)) {
            fputs("locked\n", stdout);
            fflush(stdout);
            pollfd in{STDIN_FILENO, POLLIN, 0};
            poll(&in, 1, 60000);
            q.exec(u"ROLLBACK"_s);
            rc = 0;
        } else {
            fprintf(stderr, "holder: %s\n", qPrintable(q.lastError().text()));
        }
    }
    QSqlDatabase::removeDatabase(u"holder"_s);
    return rc;
}

PersistOutcome persistOne(JobStore &store, const QString &job, const QString &backend)
{
    auto f = store.persist({write(job, u"w1"_s, {}, backend)});
    if (!settles(f, 60000))
        return {false, u"timed out"_s};
    return f.result().at(0);
}

} // namespace

class TestStoreRealFailures : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void sqliteLockedByAnotherProcess()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        DbUrl url;
        url.path = dir.filePath(u"jobs.db"_s);
        JobStore::Options options;
        options.busyTimeoutMs = 300;
        JobStore store(url, options);
        QVERIFY(errorOf(store.open()).isEmpty());
        QVERIFY2(persistOne(store, u"j1"_s, u"b1"_s).ok, "before the lock");

        QProcess holder;
        holder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        holder.start(QCoreApplication::applicationFilePath(),
                     {QString::fromLatin1(kHoldLock), url.path});
        QVERIFY(holder.waitForStarted(10000));
        QVERIFY(QTest::qWaitFor([&] { return holder.canReadLine(); }, 20000));
        QCOMPARE(holder.readLine().trimmed(), QByteArray("locked"));

        QElapsedTimer timer;
        timer.start();
        const PersistOutcome blocked = persistOne(store, u"j1"_s, u"b2"_s);
        QVERIFY(!blocked.ok);
        QVERIFY2(blocked.error.contains(u"locked"_s) && blocked.error.contains(u"300 ms"_s),
                 qPrintable(blocked.error));
        QVERIFY2(timer.elapsed() >= 250, "the write waited for the busy timeout");
        QVERIFY2(timer.elapsed() < 20000, "the write did not hang");
        QVERIFY(!persistOne(store, u"j2"_s, u"b2"_s).ok); // still held: still failing

        holder.write("release\n");
        holder.closeWriteChannel();
        QVERIFY(holder.waitForFinished(20000));
        QCOMPARE(holder.exitCode(), 0);

        const PersistOutcome retried = persistOne(store, u"j1"_s, u"b2"_s);
        QVERIFY2(retried.ok, qPrintable(retried.error));
        QVERIFY(persistOne(store, u"j2"_s, u"b2"_s).ok);
        auto backends = store.readJobBackends();
        QVERIFY(settles(backends));
        QCOMPARE(backends.result(),
                 (QHash<QString, QString>{{u"j1"_s, u"b2"_s}, {u"j2"_s, u"b2"_s}}));
    }

    void postgresStopsAndComesBack()
    {
        STORE_REQUIRE_PG();
        if (qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL") ||
            qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_DATA")) {
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
            QVERIFY(persistOne(store, u"j1"_s, u"b1"_s).ok);

            QVERIFY(pgControl(u"pause"_s));
            for (const QString &backend : {u"b2"_s, u"b3"_s}) {
                const PersistOutcome down = persistOne(store, u"j1"_s, backend);
                QVERIFY(!down.ok);
                QVERIFY2(down.error.contains(url.redacted()), qPrintable(down.error));
                QVERIFY(!down.error.contains(url.password));
            }
            const bool resumed = pgControl(u"resume"_s);
            QVERIFY(resumed);

            const PersistOutcome back = persistOne(store, u"j1"_s, u"b4"_s);
            QVERIFY2(back.ok, qPrintable(back.error));
            auto history = store.switchHistory(u"j1"_s);
            QVERIFY(settles(history));
            QCOMPARE(history.result().size(), 2); // b1 and b4: the failed writes left nothing
            QCOMPARE(history.result().at(0).toBackend, u"b4"_s);
        }
        dropSchema(url, schema);
    }

    void cleanupTestCase()
    {
        // Never leave the shared test server stopped for the next test program.
        if (pgUrl() && !qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL"))
            pgControl(u"resume"_s);
    }
};

int main(int argc, char **argv)
{
    if (argc >= 3 && qstrcmp(argv[1], kHoldLock) == 0)
        return holdSqliteWriteLock(argc, argv);
    QCoreApplication app(argc, argv);
    TestStoreRealFailures test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store_realfailures.moc"
