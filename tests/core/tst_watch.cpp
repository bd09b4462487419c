// Watch mode (--watch) against real databases: a SQLite file written by another connection,
// and PostgreSQL by polling (xmin), by LISTEN/NOTIFY, and across a server restart.
#include "StoreTestSupport.h"

#include "report/Report.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchSource.h"

#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace StoreTest;

namespace {

/// A watch session over `url`; started and ready, or null with a test failure recorded.
std::unique_ptr<Session> startWatch(const DbUrl &url, const WatchSpec &spec, QString *failure)
{
    Session::Options options;
    options.mode = Session::Mode::Watch;
    options.watch = spec;
    auto session = std::make_unique<Session>(options, url);
    QSignalSpy ready(session.get(), &Session::ready);
    QSignalSpy failed(session.get(), &Session::failed);
    session->start();
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, 30000)) {
        *failure = u"the watch neither started nor failed in 30 s"_s;
        return nullptr;
    }
    if (!failed.isEmpty()) {
        *failure = failed.first().at(0).toString();
        return nullptr;
    }
    return session;
}

QString currentOf(const Session &session, const QString &job)
{
    const quint32 index = session.tracker()->findJob(job);
    return index == TrackerTable::None ? QString() : session.tracker()->preferredBackend(index);
}

} // namespace

class TestWatch : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLoggingCategory::setFilterRules(u"stickyboard.*.info=false"_s);
    }

    void specTable_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("sql"); // empty: refused
        QTest::addRow("plain") << u"jobs"_s << u"\"jobs\""_s;
        QTest::addRow("schema") << u"ops.fleet_jobs"_s << u"\"ops\".\"fleet_jobs\""_s;
        QTest::addRow("mixed case kept") << u"Jobs"_s << u"\"Jobs\""_s;
        // Issue 11: exactly \A[A-Za-z_][A-Za-z0-9_]{0,62}\z, the schema too.
        QTest::addRow("underscore first") << u"_jobs"_s << u"\"_jobs\""_s;
        QTest::addRow("digits after") << u"A1.b2_3"_s << u"\"A1\".\"b2_3\""_s;
        QTest::addRow("63 characters") << QString(63, u'x') << u'"' + QString(63, u'x') + u'"';
        QTest::addRow("64 characters") << QString(64, u'x') << QString();
        QTest::addRow("schema of 64") << QString(64, u's') + u".jobs"_s << QString();
        QTest::addRow("unicode letter") << u"tâches"_s << QString();
        QTest::addRow("unicode digit") << u"jobs\u0663"_s << QString();
        QTest::addRow("trailing newline") << u"jobs\n"_s << QString();
        QTest::addRow("newline in schema") << u"ops\n.jobs"_s << QString();
        QTest::addRow("leading newline") << u"\njobs"_s << QString();
        QTest::addRow("dollar") << u"jo$bs"_s << QString();
        QTest::addRow("dollar quote") << u"$sb$"_s << QString();
        QTest::addRow("comment end") << u"a*/b"_s << QString();
        QTest::addRow("space") << u"my jobs"_s << QString();
        QTest::addRow("tab") << u"jobs\t"_s << QString();
        QTest::addRow("empty schema") << u".jobs"_s << QString();
        QTest::addRow("empty table") << u"ops."_s << QString();
        QTest::addRow("NUL") << u"jobs"_s + QChar(0) << QString();
        QTest::addRow("quote") << u"jo\"bs"_s << QString();
        QTest::addRow("injection") << u"jobs; DROP TABLE jobs"_s << QString();
        QTest::addRow("three parts") << u"a.b.c"_s << QString();
        QTest::addRow("empty") << QString() << QString();
        QTest::addRow("digit first") << u"1jobs"_s << QString();
    }
    void specTable()
    {
        QFETCH(QString, text);
        QFETCH(QString, sql);
        WatchSpec spec;
        QString error;
        const bool ok = spec.setTable(text, &error);
        QCOMPARE(ok, !sql.isEmpty());
        if (ok)
            QCOMPARE(spec.qualifiedTable(), sql);
        else
            QVERIFY2(!error.isEmpty() && error.size() < 200, qPrintable(error));
    }

    void specColumns_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("columns"); // empty: refused
        QTest::addRow("two") << u"job_key,backend"_s << QStringList{u"job_key"_s, u"backend"_s, {}};
        QTest::addRow("three, spaces")
            << u"id, last_backend_id, worker_id"_s
            << QStringList{u"id"_s, u"last_backend_id"_s, u"worker_id"_s};
        QTest::addRow("one") << u"id"_s << QStringList{};
        QTest::addRow("four") << u"a,b,c,d"_s << QStringList{};
        QTest::addRow("twice") << u"id,id"_s << QStringList{};
        QTest::addRow("blank") << u"id,"_s << QStringList{};
        QTest::addRow("expression") << u"id,lower(b)"_s << QStringList{};
        QTest::addRow("dollar quote") << u"id,$sb$"_s << QStringList{};
        QTest::addRow("dollar in worker") << u"id,b,w$"_s << QStringList{};
        QTest::addRow("trailing newline") << u"id,backend\n"_s << QStringList{};
        QTest::addRow("tab after comma") << u"id,\tbackend"_s << QStringList{};
        QTest::addRow("unicode") << u"id,bäckend"_s << QStringList{};
        QTest::addRow("64 characters") << u"id,"_s + QString(64, u'b') << QStringList{};
        QTest::addRow("63 characters")
            << u"id,"_s + QString(63, u'b') << QStringList{u"id"_s, QString(63, u'b'), {}};
    }
    void specColumns()
    {
        QFETCH(QString, text);
        QFETCH(QStringList, columns);
        WatchSpec spec;
        QString error;
        const bool ok = spec.setColumns(text, &error);
        QCOMPARE(ok, !columns.isEmpty());
        if (!ok) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QCOMPARE(spec.idColumn, columns.at(0));
        QCOMPARE(spec.backendColumn, columns.at(1));
        QCOMPARE(spec.workerColumn, columns.at(2));
    }

    void triggerSqlNamesTheMapping()
    {
        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(u"ops.fleet"_s, &error));
        QVERIFY(spec.setColumns(u"job_key,backend,who"_s, &error));
        const QString sql = spec.postgresTriggerSql();
        QVERIFY(sql.contains(u"pg_notify('stickyboard_watch'"_s));
        QVERIFY(sql.contains(u"ON \"ops\".\"fleet\""_s));
        QVERIFY(sql.contains(u"NEW.\"job_key\""_s));
        QVERIFY(sql.contains(u"NEW.\"who\""_s));
        QVERIFY(sql.contains(u"IS NOT DISTINCT FROM OLD.\"backend\""_s));
        QVERIFY(sql.contains(u"octet_length(payload) > 7900"_s));
        // Default columns: worker_id when the table has one, without failing when it has not.
        QVERIFY(WatchSpec().postgresTriggerSql().contains(u"to_jsonb(NEW) ->> 'worker_id'"_s));
    }

    /// Someone else's SQLite file, with its own names and no updated_at: the watch reads it,
    /// follows another connection's writes, and leaves the file as it found it.
    void sqliteForeignTableFollowsWritesAndWritesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"fleet.db"_s);
        DbUrl url;
        url.path = path;
        DirectDb writer(url, {}, u"writer"_s);
        QVERIFY(writer.exec(u"CREATE TABLE fleet_jobs (job_key TEXT PRIMARY KEY, backend TEXT, "
                            "who TEXT)"_s));
        QVERIFY(writer.exec(u"INSERT INTO fleet_jobs VALUES ('j1', 'b1', 'w1'), ('j2', NULL, "
                            "'w2')"_s));
        const QVariant journalBefore = writer.scalar(u"PRAGMA journal_mode"_s);

        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(u"fleet_jobs"_s, &error));
        QVERIFY(spec.setColumns(u"job_key,backend,who"_s, &error));
        spec.pollMs = 100;
        QString failure;
        auto session = startWatch(url, spec, &failure);
        QVERIFY2(session, qPrintable(failure));
        QCOMPARE(session->watch()->status().method, u"polling every 100 ms (whole table)"_s);
        QCOMPARE(currentOf(*session, u"j1"_s), u"b1"_s);
        QCOMPARE(session->tracker()->workerId(session->tracker()->findJob(u"j2"_s)), u"w2"_s);

        QVERIFY(writer.exec(u"UPDATE fleet_jobs SET backend = 'b2' WHERE job_key = 'j1'"_s));
        QVERIFY(writer.exec(u"UPDATE fleet_jobs SET backend = 'b3' WHERE job_key = 'j2'"_s));
        QVERIFY(writer.exec(u"INSERT INTO fleet_jobs VALUES ('j3', 'b1', 'w1')"_s));
        QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j3"_s), u"b1"_s, 5000);
        QCOMPARE(currentOf(*session, u"j1"_s), u"b2"_s);
        QCOMPARE(currentOf(*session, u"j2"_s), u"b3"_s);
        const auto &c = session->tracker()->counters();
        QCOMPARE(c.switches, 1u);  // j1 b1 -> b2; j2 and j3 were first resolutions
        QCOMPARE(c.attempted, 0u); // a value seen in the table is persisted: nothing written

        auto report = session->collectReport();
        QVERIFY(settles(report));
        QCOMPARE(report.result().mode, u"watch"_s);
        QVERIFY(report.result().inconsistentJobs().isEmpty());
        QCOMPARE(report.result().jobs.size(), 3);
        session.reset();

        // Nothing created, nothing switched: still the operator's journal mode, one table.
        QCOMPARE(writer.scalar(u"PRAGMA journal_mode"_s), journalBefore);
        QCOMPARE(writer.scalar(u"SELECT count(*) FROM sqlite_master"_s).toInt(), 2); // + its index
    }

    /// Stickyboard's own schema has updated_at: polls read only rows at or after the last
    /// one seen, and a poll with no commit since reads nothing at all.
    void sqliteUpdatedAtReadsOnlyChanges()
    {
        QTemporaryDir dir;
        DbUrl url;
        url.path = dir.filePath(u"jobs.db"_s);
        DirectDb writer(url, {}, u"writer"_s);
        QVERIFY(writer.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id TEXT, "
                            "last_backend_id TEXT, updated_at TEXT)"_s));
        for (int i = 0; i < 500; ++i)
            QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j%1', 'w%2', 'b1', "
                                "'2026-01-01T00:00:00.000Z')"_s.arg(i)
                                    .arg(i % 7)));
        WatchSpec spec;
        spec.pollMs = 100;
        QString failure;
        auto session = startWatch(url, spec, &failure);
        QVERIFY2(session, qPrintable(failure));
        QCOMPARE(session->watch()->status().method, u"polling every 100 ms (updated_at)"_s);
        QCOMPARE(session->tracker()->jobCount(), 500);
        // worker_id was found without --watch-columns naming it.
        QCOMPARE(session->tracker()->workerId(session->tracker()->findJob(u"j8"_s)), u"w1"_s);

        QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b2', updated_at = "
                            "'2026-01-01T00:00:05.000Z' WHERE id IN ('j7', 'j9')"_s));
        QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j9"_s), u"b2"_s, 5000);
        QCOMPARE(currentOf(*session, u"j7"_s), u"b2"_s);
        QCOMPARE(session->tracker()->counters().events, 2u);
        QCOMPARE(session->tracker()->counters().switches, 2u);
    }

    void missingTableFailsNamingIt()
    {
        QTemporaryDir dir;
        DbUrl url;
        url.path = dir.filePath(u"empty.db"_s);
        {
            DirectDb writer(url, {}, u"writer"_s);
            QVERIFY(writer.exec(u"CREATE TABLE other (x INTEGER)"_s));
        }
        Session::Options options;
        options.mode = Session::Mode::Watch;
        Session session(options, url);
        QSignalSpy failed(&session, &Session::failed);
        session.start();
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 10000);
        const QString message = failed.first().at(0).toString();
        QVERIFY2(message.contains(u"jobs"_s) && message.contains(u"no such table"_s),
                 qPrintable(message));
        QCOMPARE(failed.first().at(1).toInt(), 3);

        DbUrl absent;
        absent.path = dir.filePath(u"absent.db"_s);
        Session none(options, absent);
        QSignalSpy noneFailed(&none, &Session::failed);
        none.start();
        QTRY_VERIFY_WITH_TIMEOUT(!noneFailed.isEmpty(), 10000);
        QVERIFY2(noneFailed.first().at(0).toString().contains(u"does not exist"_s),
                 qPrintable(noneFailed.first().at(0).toString()));
        QVERIFY(!QFileInfo::exists(absent.path)); // not created by watching it
    }

    void watchRefusesFaultsAndIngest()
    {
        QTemporaryDir dir;
        DbUrl url;
        url.path = dir.filePath(u"jobs.db"_s);
        {
            DirectDb writer(url, {}, u"writer"_s);
            QVERIFY(writer.exec(u"CREATE TABLE jobs (id TEXT, last_backend_id TEXT)"_s));
        }
        QString failure;
        auto session = startWatch(url, WatchSpec{}, &failure);
        QVERIFY2(session, qPrintable(failure));
        QString error;
        QVERIFY(!session->applyFault(u"fail-next=1"_s, &error));
        QVERIFY(error.contains(u"watch mode"_s));
        QVERIFY(!session->ingest(R"({"job":"j1","backend":"b1"})", &error));
        QVERIFY(error.contains(u"read-only"_s));
        QCOMPARE(session->tracker()->jobCount(), 0);
    }

    /// No trigger: PostgreSQL is polled by xmin, in a schema-qualified table with integer ids.
    void postgresPollsByXmin()
    {
        STORE_REQUIRE_PG();
        const DbUrl url = *pgUrl();
        const QString schema = uniqueSchema();
        {
            DirectDb writer(url, schema, u"writer"_s);
            QVERIFY(writer.exec(u"CREATE TABLE fleet (job_id BIGINT PRIMARY KEY, backend TEXT, "
                                "worker TEXT)"_s));
            QVERIFY(writer.exec(u"INSERT INTO fleet SELECT g, 'b' || (g % 4), 'w' || (g % 9) "
                                "FROM generate_series(1, 2000) g"_s));
            WatchSpec spec;
            QString error;
            QVERIFY(spec.setTable(schema + u".fleet"_s, &error));
            QVERIFY(spec.setColumns(u"job_id,backend,worker"_s, &error));
            spec.pollMs = 100;
            QString failure;
            auto session = startWatch(url, spec, &failure);
            QVERIFY2(session, qPrintable(failure));
            QCOMPARE(session->watch()->status().method, u"polling every 100 ms (xmin)"_s);
            QCOMPARE(session->tracker()->jobCount(), 2000);
            QCOMPARE(currentOf(*session, u"17"_s), u"b1"_s);

            QVERIFY(writer.exec(u"UPDATE fleet SET backend = 'b9' WHERE job_id IN (17, 1999)"_s));
            QVERIFY(writer.exec(u"INSERT INTO fleet VALUES (5000, 'b2', 'w1')"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"5000"_s), u"b2"_s, 5000);
            QCOMPARE(currentOf(*session, u"17"_s), u"b9"_s);
            QCOMPARE(currentOf(*session, u"1999"_s), u"b9"_s);
            // Only the changed rows became events: xmin found them without a full compare.
            QCOMPARE(session->tracker()->counters().events, 3u);

            // A transaction open across polls is seen once it commits.
            QVERIFY(writer.exec(u"BEGIN"_s));
            QVERIFY(writer.exec(u"UPDATE fleet SET backend = 'b8' WHERE job_id = 42"_s));
            QTest::qWait(400);
            QCOMPARE(currentOf(*session, u"42"_s), u"b2"_s);
            QVERIFY(writer.exec(u"COMMIT"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"42"_s), u"b8"_s, 5000);

            // The session is read-only, and says who it is.
            QCOMPARE(writer
                         .scalar(u"SELECT count(*) FROM pg_stat_activity WHERE application_name "
                                 "= 'stickyboard-watch'"_s)
                         .toInt(),
                     1);
        }
        dropSchema(url, schema);
    }

    /// With the trigger of --print-watch-sql installed, changes arrive by NOTIFY (the poll
    /// interval here is a minute), and again after the server restarted.
    void postgresListenAndRestart()
    {
        STORE_REQUIRE_PG();
        const bool canRestart = !qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL") &&
                                !qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_DATA");
        const DbUrl url = *pgUrl();
        const QString schema = uniqueSchema();
        const QString otherSchema = uniqueSchema();
        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(schema + u".jobs"_s, &error));
        spec.pollMs = 60000;
        {
            DirectDb writer(url, schema, u"writer"_s);
            QVERIFY(writer.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id TEXT, "
                                "last_backend_id TEXT)"_s));
            QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j1', 'w1', 'b1')"_s));
            QVERIFY(writer.exec(spec.postgresTriggerSql()));

            QString failure;
            auto session = startWatch(url, spec, &failure);
            QVERIFY2(session, qPrintable(failure));
            QCOMPARE(session->watch()->status().method, u"LISTEN/NOTIFY"_s);
            QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b2' WHERE id = 'j1'"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j1"_s), u"b2"_s, 3000);
            // Another schema's table of the same name, with the same trigger, notifies on the
            // same channel: none of it reaches this watch.
            {
                DirectDb other(url, otherSchema, u"other"_s);
                QVERIFY(other.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id TEXT, "
                                   "last_backend_id TEXT)"_s));
                WatchSpec otherSpec = spec;
                QVERIFY(otherSpec.setTable(otherSchema + u".jobs"_s, &error));
                QVERIFY(other.exec(otherSpec.postgresTriggerSql()));
                QVERIFY(other.exec(u"INSERT INTO jobs VALUES ('j1', 'w1', 'elsewhere')"_s));
            }
            QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j2', 'w2', 'b3')"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j2"_s), u"b3"_s, 3000);
            QCOMPARE(currentOf(*session, u"j1"_s), u"b2"_s);
            QCOMPARE(session->tracker()->counters().switches, 1u);
            QCOMPARE(session->tracker()->workerId(session->tracker()->findJob(u"j2"_s)), u"w2"_s);

            // A row too big for a NOTIFY payload: the writer's INSERT still works (pg_notify
            // would refuse it), and the watch reads it at once the polling way.
            QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j3', repeat('w', 9000), 'b5')"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j3"_s), u"b5"_s, 3000);
            QCOMPARE(session->tracker()->workerId(session->tracker()->findJob(u"j3"_s)),
                     QString(9000, u'w'));

            if (!canRestart) {
                const char *why = "STICKYBOARD_TEST_PG_CTL/_DATA unset: the server cannot be "
                                  "restarted here";
                if (qEnvironmentVariable("CI") == u"true")
                    QFAIL(why); // dev.sh sets both: CI must run the restart
                QSKIP(why);
            }
            QSignalSpy health(session.get(), &Session::healthChanged);
            QVERIFY(pgControl(u"pause"_s));
            QTRY_VERIFY_WITH_TIMEOUT(!session->healthProblem().isEmpty(), 10000);
            const QString problem = session->healthProblem();
            QVERIFY2(problem.contains(url.redacted()), qPrintable(problem));
            QVERIFY(!problem.contains(url.password));
            QVERIFY(pgControl(u"resume"_s));
            QTRY_VERIFY_WITH_TIMEOUT(session->healthProblem().isEmpty(), 40000);
            QCOMPARE(session->watch()->status().method, u"LISTEN/NOTIFY"_s);
            QVERIFY(health.size() >= 2);

            // LISTEN again after the reconnect: a change arrives long before any poll.
            DirectDb again(url, schema, u"writer2"_s);
            QVERIFY(again.exec(u"UPDATE jobs SET last_backend_id = 'b4' WHERE id = 'j2'"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j2"_s), u"b4"_s, 3000);
        }
        dropSchema(url, schema);
        dropSchema(url, otherSchema);
    }

    void cleanupTestCase()
    {
        if (pgUrl() && !qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL"))
            pgControl(u"resume"_s);
    }
};

QTEST_GUILESS_MAIN(TestWatch)
#include "tst_watch.moc"
