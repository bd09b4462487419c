// Watch mode (--watch) against real databases: a SQLite file written by another connection,
// and PostgreSQL by polling (xmin), by LISTEN/NOTIFY, and across a server restart.
// ctest-labels: threads watch
#include "StoreTestSupport.h"

#include "report/Report.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchHint.h"
#include "watch/WatchSource.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

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

/// Counts warnings that contain `needle` while alive (other messages go on as before).
class WarningCounter {
public:
    explicit WarningCounter(const QString &needle)
    {
        s_needle = needle;
        s_count = 0;
        s_previous = qInstallMessageHandler(&WarningCounter::handle);
    }
    ~WarningCounter() { qInstallMessageHandler(s_previous); }
    int count() const { return s_count; }

private:
    static void handle(QtMsgType type, const QMessageLogContext &context, const QString &text)
    {
        if (type == QtWarningMsg && text.contains(s_needle))
            ++s_count;
        s_previous(type, context, text);
    }
    static inline QString s_needle;
    static inline std::atomic<int> s_count = 0; ///< warnings come from the watch's thread
    static inline QtMessageHandler s_previous = nullptr;
};

/// A superuser connection over the throwaway cluster's unix socket (local trust), for what
/// the test role may not do (CREATE ROLE); nullopt when the cluster's folder is unknown.
std::optional<DbUrl> pgAdminUrl()
{
    const QString dir = qEnvironmentVariable("STICKYBOARD_TEST_PG_DATA");
    if (dir.isEmpty() || !pgUrl())
        return std::nullopt;
    DbUrl url = *pgUrl();
    url.host = dir;
    url.user = u"postgres"_s;
    url.password.clear();
    return url;
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

    /// A NOTIFY payload names at most a row to read again; anything else means: poll.
    void hintParse_data()
    {
        QTest::addColumn<QString>("payload");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("job");
        const int poll = int(WatchHint::Kind::Poll), job = int(WatchHint::Kind::Job),
                  other = int(WatchHint::Kind::OtherTable);
        QTest::addRow("text id") << uR"({"schema":"s","table":"jobs","job":"j1","backend":"b"})"_s
                                 << job << u"j1"_s;
        QTest::addRow("number id")
            << uR"({"schema":"s","table":"jobs","job":17})"_s << job << u"17"_s;
        QTest::addRow("fraction") << uR"({"schema":"s","table":"jobs","job":1.5})"_s << poll
                                  << QString();
        QTest::addRow("past 2^53")
            << uR"({"schema":"s","table":"jobs","job":1e300})"_s << poll << QString();
        QTest::addRow("no job") << uR"({"schema":"s","table":"jobs"})"_s << poll << QString();
        QTest::addRow("job object")
            << uR"({"schema":"s","table":"jobs","job":{"a":1}})"_s << poll << QString();
        QTest::addRow("overflow") << uR"({"schema":"s","table":"jobs","overflow":true})"_s << poll
                                  << QString();
        QTest::addRow("other table") << uR"({"table":"fleet","job":"j1"})"_s << other << QString();
        QTest::addRow("other schema")
            << uR"({"schema":"t","table":"jobs","job":"j1"})"_s << other << QString();
        QTest::addRow("not json") << u"j1 moved to b2"_s << poll << QString();
        QTest::addRow("array") << u"[1,2]"_s << poll << QString();
        QTest::addRow("table not text") << uR"({"table":7,"job":"j1"})"_s << poll << QString();
    }
    void hintParse()
    {
        QFETCH(QString, payload);
        QFETCH(int, kind);
        QFETCH(QString, job);
        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(u"s.jobs"_s, &error));
        const WatchHint hint = WatchHint::parse(payload, spec);
        QCOMPARE(int(hint.kind), kind);
        QCOMPARE(hint.job, job);
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

            // A row too big for a NOTIFY payload (only a row with an over-long id can be): the
            // writer's INSERT still works (pg_notify would refuse it), the watch polls at once
            // and finds what else that transaction changed (j1, with the trigger off), and it
            // skips the row itself: its worker id breaks the id rule.
            QVERIFY(writer.exec(u"BEGIN"_s));
            QVERIFY(writer.exec(u"ALTER TABLE jobs DISABLE TRIGGER stickyboard_watch"_s));
            QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b7' WHERE id = 'j1'"_s));
            QVERIFY(writer.exec(u"ALTER TABLE jobs ENABLE TRIGGER stickyboard_watch"_s));
            QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j3', repeat('w', 9000), 'b5')"_s));
            QTest::ignoreMessage(QtWarningMsg,
                                 QRegularExpression(u"skipped the watched row of job 'j3'"_s));
            QVERIFY(writer.exec(u"COMMIT"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j1"_s), u"b7"_s, 3000);
            QCOMPARE(session->tracker()->findJob(u"j3"_s), TrackerTable::None);

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

    /// Anyone who can connect may NOTIFY the channel, rights on the table or not. A role with
    /// none forges payloads that move a real job, add a fake one and flood 20,000 ids: the
    /// screen, the counters and the report only ever show the table. A payload that is not
    /// the trigger's makes the watch read the table at once.
    void postgresForgedNotifyChangesNothing()
    {
        STORE_REQUIRE_PG();
        const auto admin = pgAdminUrl();
        if (!admin) {
            if (qEnvironmentVariable("CI") == u"true")
                QFAIL("STICKYBOARD_TEST_PG_DATA unset: no superuser to create a role with");
            QSKIP("STICKYBOARD_TEST_PG_DATA unset: no superuser to create a role with");
        }
        const DbUrl url = *pgUrl();
        const QString schema = uniqueSchema();
        const QString role = u"forger_"_s + schema.mid(4);
        DbUrl forgerUrl = url;
        forgerUrl.user = role;
        forgerUrl.password = u"forged-%1"_s.arg(QRandomGenerator::global()->generate64(), 0, 16);
        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(schema + u".jobs"_s, &error));
        spec.pollMs = 60000; // the catch-up poll is a minute away: only NOTIFY can be quick
        {
            DirectDb su(*admin, {}, u"admin"_s);
            QVERIFY(su.exec(u"CREATE ROLE %1 LOGIN PASSWORD '%2'"_s.arg(role, forgerUrl.password)));
            DirectDb writer(url, schema, u"writer"_s);
            QVERIFY(writer.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id TEXT, "
                                "last_backend_id TEXT)"_s));
            QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j1', 'w1', 'b1'), ('j2', 'w2', "
                                "'b1')"_s));
            QVERIFY(writer.exec(spec.postgresTriggerSql()));
            QString failure;
            auto session = startWatch(url, spec, &failure);
            QVERIFY2(session, qPrintable(failure));
            QCOMPARE(session->watch()->status().method, u"LISTEN/NOTIFY"_s);

            {
                DirectDb forger(forgerUrl, {}, u"forger"_s);
                // No rights on the table: it cannot even read it...
                QVERIFY(!forger.scalar(u"SELECT count(*) FROM %1.jobs"_s.arg(schema)).isValid());
                // ...but it can NOTIFY the channel.
                const QString payload = uR"({"schema":"%1","table":"jobs","job":"%2",)"
                                        uR"("backend":"evil","worker":"w666"})"_s;
                QVERIFY(forger.exec(
                    u"NOTIFY stickyboard_watch, '%1'"_s.arg(payload.arg(schema, u"j1"_s))));
                QVERIFY(forger.exec(
                    u"NOTIFY stickyboard_watch, '%1'"_s.arg(payload.arg(schema, u"ghost"_s))));
                QVERIFY(forger.exec(
                    u"SELECT pg_notify('stickyboard_watch', json_build_object('schema', '%1', "
                    "'table', 'jobs', 'job', 'fake' || g, 'backend', 'evil')::text) "
                    "FROM generate_series(1, 20000) g"_s.arg(schema)));
            }
            // A real change after the forged ones: notifications arrive in commit order.
            QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b2' WHERE id = 'j2'"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j2"_s), u"b2"_s, 10000);
            QTest::qWait(300);
            QCOMPARE(session->tracker()->jobCount(), 2);
            QCOMPARE(currentOf(*session, u"j1"_s), u"b1"_s);
            QCOMPARE(session->tracker()->findJob(u"ghost"_s), TrackerTable::None);
            QCOMPARE(session->tracker()->findBackend(u"evil"_s), TrackerTable::None);
            QCOMPARE(session->tracker()->counters().events, 1u); // j2's change, nothing else
            QCOMPARE(session->tracker()->counters().switches, 1u);

            // A payload not in the trigger's format: the table is read now. The change below
            // made no NOTIFY (trigger off), so nothing else could show it within a minute.
            QVERIFY(writer.exec(u"ALTER TABLE jobs DISABLE TRIGGER stickyboard_watch"_s));
            QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b3' WHERE id = 'j1'"_s));
            QVERIFY(writer.exec(u"ALTER TABLE jobs ENABLE TRIGGER stickyboard_watch"_s));
            {
                DirectDb forger(forgerUrl, {}, u"forger"_s);
                QVERIFY(forger.exec(u"NOTIFY stickyboard_watch, 'not json at all'"_s));
            }
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j1"_s), u"b3"_s, 5000);

            auto report = session->collectReport();
            QVERIFY(settles(report));
            QCOMPARE(report.result().jobs.size(), 2);
            for (const Report::Job &job : report.result().jobs) {
                QVERIFY2(job.current != u"evil" && job.db != u"evil", qPrintable(job.job));
                QCOMPARE(job.current, job.db);
                QVERIFY(!job.worker.startsWith(u"w666"_s));
            }
            QCOMPARE(report.result().events, 2u);
        }
        dropSchema(url, schema);
        DirectDb su(*admin, {}, u"admin"_s);
        QVERIFY(su.exec(u"DROP ROLE %1"_s.arg(role)));
    }

    /// Number ids: the payload names the job as a JSON number, the re-read casts the ids to
    /// the column's type. A payload whose id is no number for that column (anyone may send
    /// one) fails the re-read, and the watch polls instead: nothing breaks, nothing is added.
    void postgresNotifyHintsWithNumberIds()
    {
        STORE_REQUIRE_PG();
        const DbUrl url = *pgUrl();
        const QString schema = uniqueSchema();
        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(schema + u".fleet"_s, &error));
        QVERIFY(spec.setColumns(u"job_id,backend"_s, &error));
        spec.pollMs = 60000;
        {
            DirectDb writer(url, schema, u"writer"_s);
            QVERIFY(writer.exec(u"CREATE TABLE fleet (job_id BIGINT PRIMARY KEY, backend TEXT)"_s));
            QVERIFY(writer.exec(u"INSERT INTO fleet VALUES (7, 'b1'), (8, 'b1')"_s));
            QVERIFY(writer.exec(spec.postgresTriggerSql()));
            QString failure;
            auto session = startWatch(url, spec, &failure);
            QVERIFY2(session, qPrintable(failure));
            QCOMPARE(session->watch()->status().method, u"LISTEN/NOTIFY"_s);
            QVERIFY(writer.exec(u"UPDATE fleet SET backend = 'b2' WHERE job_id = 7"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"7"_s), u"b2"_s, 5000);
            QVERIFY(writer.exec(
                u"NOTIFY stickyboard_watch, '{\"schema\":\"%1\",\"table\":"
                "\"fleet\",\"job\":\"not-a-number\",\"backend\":\"x\"}'"_s.arg(schema)));
            QVERIFY(writer.exec(u"UPDATE fleet SET backend = 'b3' WHERE job_id = 8"_s));
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"8"_s), u"b3"_s, 5000);
            QCOMPARE(session->tracker()->jobCount(), 2);
            QCOMPARE(session->tracker()->counters().events, 2u);
        }
        dropSchema(url, schema);
    }

    /// LISTEN comes before the first read: a change committed while that read runs is
    /// announced and read at once, not a catch-up poll (here a minute) later. The first read
    /// is made slow by the operator's view it reads (pg_sleep), so the commit lands inside it.
    void postgresChangeDuringFirstReadArrivesAtOnce()
    {
        STORE_REQUIRE_PG();
        const DbUrl url = *pgUrl();
        const QString schema = uniqueSchema();
        WatchSpec spec;
        QString error;
        QVERIFY(spec.setTable(schema + u".jobs"_s, &error));
        QVERIFY(spec.setColumns(u"id,last_backend_id"_s, &error));
        spec.pollMs = 60000;
        {
            DirectDb writer(url, schema, u"writer"_s);
            QVERIFY(
                writer.exec(u"CREATE TABLE base (id TEXT PRIMARY KEY, last_backend_id TEXT)"_s));
            QVERIFY(writer.exec(u"INSERT INTO base VALUES ('j1', 'b1')"_s));
            QVERIFY(writer.exec(u"CREATE VIEW jobs AS SELECT b.id, b.last_backend_id FROM "
                                "(SELECT pg_sleep(1.5)) s, base b"_s));
            // The trigger the watch looks for (a no-op on the view), and one on the table
            // behind it that notifies in the view's name.
            QVERIFY(writer.exec(u"CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS "
                                "$$BEGIN RETURN NULL; END$$"_s));
            QVERIFY(writer.exec(u"CREATE TRIGGER stickyboard_watch INSTEAD OF UPDATE ON jobs "
                                "FOR EACH ROW EXECUTE FUNCTION noop()"_s));
            QVERIFY(writer.exec(
                u"CREATE FUNCTION announce() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN "
                "PERFORM pg_notify('stickyboard_watch', json_build_object('schema', "
                "TG_TABLE_SCHEMA, 'table', 'jobs', 'job', NEW.id, 'backend', "
                "NEW.last_backend_id)::text); RETURN NULL; END$$"_s));
            QVERIFY(writer.exec(u"CREATE TRIGGER announce AFTER UPDATE ON base FOR EACH ROW "
                                "EXECUTE FUNCTION announce()"_s));

            Session::Options options;
            options.mode = Session::Mode::Watch;
            options.watch = spec;
            Session session(options, url);
            QSignalSpy ready(&session, &Session::ready);
            QSignalSpy failed(&session, &Session::failed);
            session.start();
            // Wait until the watch's first read sleeps inside the view, then commit.
            QVERIFY(QTest::qWaitFor(
                [&] {
                    return writer.scalar(u"SELECT count(*) FROM pg_stat_activity WHERE "
                                         "application_name = 'stickyboard-watch' AND wait_event "
                                         "= 'PgSleep'"_s)
                                   .toInt() > 0 ||
                           !failed.isEmpty();
                },
                20000));
            QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
            QVERIFY(writer.exec(u"UPDATE base SET last_backend_id = 'b2' WHERE id = 'j1'"_s));
            QElapsedTimer committed;
            committed.start();
            QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 20000);
            QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
            QCOMPARE(session.watch()->status().method, u"LISTEN/NOTIFY"_s);
            QTRY_COMPARE_WITH_TIMEOUT(currentOf(session, u"j1"_s), u"b2"_s, 10000);
            qInfo("change committed during the first read seen after %lld ms", committed.elapsed());
        }
        dropSchema(url, schema);
    }

    /// Reading for a report (GET /api/jobs reads the same) changes no tracker state and no
    /// counter: it shows the trackers beside the table. The report at shutdown includes
    /// the watch's last poll, so the change counts once.
    void reportReadsChangeNothing()
    {
        QTemporaryDir dir;
        DbUrl url;
        url.path = dir.filePath(u"jobs.db"_s);
        DirectDb writer(url, {}, u"writer"_s);
        QVERIFY(writer.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, last_backend_id TEXT)"_s));
        QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j1', 'b1'), ('j2', NULL)"_s));
        WatchSpec spec;
        spec.pollMs = 60000; // no poll during the test: only the reads below see the change
        Session::Options options;
        options.mode = Session::Mode::Watch;
        options.watch = spec;
        options.report = dir.filePath(u"report.json"_s);
        Session session(options, url);
        QSignalSpy ready(&session, &Session::ready);
        QSignalSpy finished(&session, &Session::finished);
        session.start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 20000);
        QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b2' WHERE id = 'j1'"_s));
        QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j3', 'b3')"_s));

        for (int i = 0; i < 3; ++i) {
            auto report = session.collectReport();
            QVERIFY(settles(report));
            const Report r = report.result();
            QCOMPARE(r.events, 0u);
            QCOMPARE(r.switches, 0u);
            QCOMPARE(r.jobs.size(), 3);
            QCOMPARE(r.jobs[0].current, u"b1"_s); // the tracker, as on screen
            QCOMPARE(r.jobs[0].db, u"b2"_s);      // the table now
            QVERIFY(r.jobs[2].current.isNull());  // j3: not seen by the watch yet
            QCOMPARE(r.jobs[2].db, u"b3"_s);
        }
        QCOMPARE(session.tracker()->counters().events, 0u);
        QCOMPARE(currentOf(session, u"j1"_s), u"b1"_s);
        QCOMPARE(session.tracker()->findJob(u"j3"_s), TrackerTable::None);

        session.shutdown();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 20000);
        QFile file(options.report);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonObject report = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(report.value(u"events"_s).toInt(), 2); // j1's switch and j3, each once
        QCOMPARE(report.value(u"switches"_s).toInt(), 1);
        for (const QJsonValue &job : report.value(u"jobs"_s).toArray())
            QCOMPARE(job[u"current"_s], job[u"db"_s]);
    }

    /// Rows whose ids break the rule (empty, over 256 bytes, control characters) are
    /// skipped with one warning per id, however often the table is read again.
    void invalidWatchedIdsAreSkippedOnce()
    {
        QTemporaryDir dir;
        DbUrl url;
        url.path = dir.filePath(u"jobs.db"_s);
        DirectDb writer(url, {}, u"writer"_s);
        QVERIFY(writer.exec(u"CREATE TABLE jobs (id TEXT, last_backend_id TEXT)"_s));
        QVERIFY(writer.exec(u"INSERT INTO jobs VALUES ('j1', 'b1'), ('', 'b1'), "
                            "('%1', 'b1'), ('bad' || char(1) || 'id', 'b1'), "
                            "('j4', 'b' || char(10)), ('nul' || char(0) || 'x', 'b1'), "
                            "('ok', NULL)"_s.arg(QString(300, u'x'))));
        WarningCounter skipped(u"skipped the watched row"_s);
        WatchSpec spec;
        spec.pollMs = 100;
        QString failure;
        auto session = startWatch(url, spec, &failure);
        QVERIFY2(session, qPrintable(failure));
        QCOMPARE(session->tracker()->jobCount(), 2); // j1 and ok
        QCOMPARE(currentOf(*session, u"j1"_s), u"b1"_s);
        QCOMPARE(skipped.count(), 5);

        // Every row changes, so every poll reads them all again: still one warning per id.
        QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = last_backend_id || '2'"_s));
        QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j1"_s), u"b12"_s, 5000);
        QVERIFY(writer.exec(u"UPDATE jobs SET last_backend_id = 'b3' WHERE id = 'j1'"_s));
        QTRY_COMPARE_WITH_TIMEOUT(currentOf(*session, u"j1"_s), u"b3"_s, 5000);
        QCOMPARE(session->tracker()->jobCount(), 2);
        auto report = session->collectReport();
        QVERIFY(settles(report));
        QCOMPARE(report.result().jobs.size(), 2);
        QCOMPARE(skipped.count(), 5);
    }

    void cleanupTestCase()
    {
        if (pgUrl() && !qEnvironmentVariableIsEmpty("STICKYBOARD_TEST_PG_CTL"))
            pgControl(u"resume"_s);
    }
};

QTEST_GUILESS_MAIN(TestWatch)
#include "tst_watch.moc"
