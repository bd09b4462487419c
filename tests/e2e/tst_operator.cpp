// End to end, operator mode: --watch of a database another stickyboard process writes,
// --print-watch-sql, and --listen (HTTP) on the real binary.
#include "AppRunner.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using AppRunner::Run;

namespace {

/// A replay trace: `lines` events 100 ms apart, ten jobs moving between three backends.
QByteArray movingTrace(int lines)
{
    QByteArray out;
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(1'800'000'000'000, Qt::UTC);
    for (int i = 0; i < lines; ++i) {
        const int job = i % 10;
        const int backend = (i / 10 + job) % 3;
        out += QJsonDocument(
                   QJsonObject{{u"type"_s, u"event"_s},
                               {u"job"_s, u"j%1"_s.arg(job)},
                               {u"worker"_s, u"w%1"_s.arg(job % 4)},
                               {u"backend"_s, u"b%1"_s.arg(backend)},
                               {u"cacheKey"_s, QJsonValue::Null},
                               {u"ts"_s, start.addMSecs(100 * i).toString(Qt::ISODateWithMs)}})
                   .toJson(QJsonDocument::Compact) +
               '\n';
    }
    return out;
}

/// Reads "serving http://HOST:PORT/..." from a starting process's stderr.
QString servedUrl(QProcess &p, QString *stderrText)
{
    static const QRegularExpression serving(u"serving (http://[^/\\s]+)"_s);
    QString url;
    [[maybe_unused]] const bool seen = QTest::qWaitFor(
        [&] {
            *stderrText += QString::fromUtf8(p.readAllStandardError());
            const auto m = serving.match(*stderrText);
            if (m.hasMatch())
                url = m.captured(1);
            return !url.isEmpty() || p.state() == QProcess::NotRunning;
        },
        30000);
    return url;
}

/// A SQLite file with a `jobs(id, last_backend_id)` table holding `values` ("('a', 'b1'), …").
bool makeJobsTable(const QString &path, const QString &values)
{
    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"make-jobs"_s);
        db.setDatabaseName(path);
        QSqlQuery q(db);
        ok = db.open() &&
             q.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, last_backend_id TEXT)"_s) &&
             q.exec(u"INSERT INTO jobs VALUES "_s + values);
    }
    QSqlDatabase::removeDatabase(u"make-jobs"_s);
    return ok;
}

struct Reply {
    int status = 0;
    QByteArray body;
};

Reply request(QNetworkAccessManager &net, const QString &method, const QString &url,
              const QByteArray &body = {}, const QByteArray &token = {})
{
    QNetworkRequest req{QUrl(url)};
    req.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-ndjson");
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token);
    QNetworkReply *reply = net.sendCustomRequest(req, method.toLatin1(), body);
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000))
        reply->abort(); // status 0: the caller's check fails with the URL in view
    Reply r{reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
    reply->deleteLater();
    return r;
}

} // namespace

class TestOperator : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QProcessEnvironment env() const { return AppRunner::environment(m_home.path()); }

private Q_SLOTS:
    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const QString db = u"sqlite:/nonexistent/jobs.db"_s;
        QTest::addRow("watch with fault")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--fault"_s, u"offline"_s}
            << u"--fault"_s;
        QTest::addRow("watch with replay")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--replay"_s, u"x.jsonl"_s}
            << u"--replay"_s;
        QTest::addRow("watch with db")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--db"_s, db} << u"--db"_s;
        QTest::addRow("table without watch")
            << QStringList{u"--headless"_s, u"--watch-table"_s, u"jobs"_s} << u"--watch-table"_s;
        QTest::addRow("bad table")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--watch-table"_s, u"jobs;drop"_s}
            << u"--watch-table"_s;
        QTest::addRow("one column")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--watch-columns"_s, u"id"_s}
            << u"--watch-columns"_s;
        QTest::addRow("poll too fast")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--poll-ms"_s, u"5"_s}
            << u"--poll-ms"_s;
        QTest::addRow("bad watch url")
            << QStringList{u"--headless"_s, u"--watch"_s, u"mysql://u:secret@h/db"_s}
            << u"--watch"_s;
        QTest::addRow("public listen without token")
            << QStringList{u"--headless"_s, u"--listen"_s, u"0.0.0.0:9464"_s}
            << u"--listen-token"_s;
        QTest::addRow("bad listen port")
            << QStringList{u"--headless"_s, u"--listen"_s, u"127.0.0.1:99999"_s} << u"--listen"_s;
        QTest::addRow("observe without watch")
            << QStringList{u"--headless"_s, u"--observe"_s, u"gw.log"_s} << u"--observe"_s;
        QTest::addRow("stale-after without watch")
            << QStringList{u"--headless"_s, u"--stale-after"_s, u"5"_s} << u"--stale-after"_s;
        QTest::addRow("negative stale-after")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--stale-after"_s, u"-1"_s}
            << u"--stale-after"_s;
        QTest::addRow("observe-map without backend")
            << QStringList{u"--headless"_s, u"--watch"_s,       db,         u"--observe"_s,
                           u"gw.log"_s,     u"--observe-map"_s, u"job=/a"_s}
            << u"missing backend"_s;
        QTest::addRow("observe-map bad pointer")
            << QStringList{u"--headless"_s,         u"--watch"_s, db,
                           u"--observe"_s,          u"gw.log"_s,  u"--observe-map"_s,
                           u"job=/a,backend=/b~2"_s}
            << u"--observe-map: backend='/b~2'"_s;
        QTest::addRow("history is the watched database")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--history"_s,
                           u"/nonexistent/jobs.db"_s}
            << u"is the watched database"_s;
        QTest::addRow("history-days 0")
            << QStringList{u"--headless"_s, u"--watch"_s, db, u"--history-days"_s, u"0"_s}
            << u"--history-days"_s;
        QTest::addRow("history without watch")
            << QStringList{u"--headless"_s, u"--history"_s, u"none"_s} << u"--history"_s;
        QTest::addRow("token without listen")
            << QStringList{u"--headless"_s, u"--listen-token"_s, u"t"_s} << u"--listen-token"_s;
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Run r = AppRunner::run(args, env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"secret"_s), qPrintable(r.err));
    }

    void printWatchSql()
    {
        const Run r = AppRunner::run({u"--print-watch-sql"_s, u"--watch-table"_s, u"ops.fleet"_s,
                                      u"--watch-columns"_s, u"job_key,backend"_s},
                                     env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"CREATE TRIGGER stickyboard_watch AFTER INSERT OR UPDATE ON "
                               "\"ops\".\"fleet\""_s));
        QVERIFY(r.out.contains(u"pg_notify('stickyboard_watch'"_s));
        QVERIFY(r.out.contains(u"'job', NEW.\"job_key\""_s));
    }

    void watchOfAMissingFileIsExit3()
    {
        const QString missing = m_home.filePath(u"absent.db"_s);
        const Run r = AppRunner::run(
            {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + missing, u"--duration"_s, u"1"_s},
            env());
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(missing), qPrintable(r.err));
        QVERIFY(!QFile::exists(missing));
    }

    /// A WAL database in a folder the watching user cannot write: SQLite cannot create its
    /// -shm coordination file, and the message says so and what to do, instead of SQLite's
    /// bare "attempt to write a readonly database". Made writable, the same watch works and
    /// only SQLite's own -shm/-wal appear beside the file. Root writes anywhere, so as root
    /// the watcher runs as nobody (setpriv).
    void walWatchInReadOnlyFolderSaysWhatToDo()
    {
        QTemporaryDir top;
        QVERIFY(::chmod(QFile::encodeName(top.path()).constData(), 0755) == 0);
        const QString folder = top.filePath(u"ro"_s);
        const QString home = top.filePath(u"home"_s);
        QVERIFY(QDir().mkpath(folder) && QDir().mkpath(home));
        QVERIFY(::chmod(QFile::encodeName(home).constData(), 0777) == 0);
        const QString db = folder + u"/jobs.db"_s;
        {
            QSqlDatabase c = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"make-wal"_s);
            c.setDatabaseName(db);
            QSqlQuery q(c);
            QVERIFY(c.open() && q.exec(u"PRAGMA journal_mode=WAL"_s) && q.next() &&
                    q.value(0).toString() == u"wal" &&
                    q.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, last_backend_id TEXT)"_s) &&
                    q.exec(u"INSERT INTO jobs VALUES ('a', 'b1')"_s));
        }
        QSqlDatabase::removeDatabase(u"make-wal"_s);
        QVERIFY(!QFile::exists(db + u"-shm"_s)); // the last connection's close removed it
        QVERIFY(::chmod(QFile::encodeName(db).constData(), 0644) == 0);
        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0555) == 0);

        QProcessEnvironment environment = AppRunner::environment(home);
        environment.insert(u"HOME"_s, home);
        environment.insert(u"XDG_CONFIG_HOME"_s, home + u"/config"_s);
        environment.remove(u"XDG_RUNTIME_DIR"_s);
        const auto watch = [&] {
            QStringList args{u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db,
                             u"--duration"_s, u"1"_s,       u"--report"_s,
                             u"-"_s};
            QString program = QStringLiteral(STICKYBOARD_BIN);
            if (::geteuid() == 0) {
                args = QStringList{u"--reuid=65534"_s, u"--regid=65534"_s, u"--clear-groups"_s,
                                   program} +
                       args;
                program = u"setpriv"_s;
            }
            QProcess p;
            p.setProcessEnvironment(environment);
            p.start(program, args);
            Run r;
            if (p.waitForFinished(60000))
                r = Run{p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
                        QString::fromUtf8(p.readAllStandardOutput()),
                        QString::fromUtf8(p.readAllStandardError())};
            return r;
        };
        const Run refused = watch();
        QCOMPARE(refused.exitCode, 3);
        QVERIFY2(refused.err.contains(u"WAL mode"_s) && refused.err.contains(db + u"-shm"_s) &&
                     refused.err.contains(u"Make the folder writable"_s) &&
                     refused.err.contains(u"watch a copy"_s),
                 qPrintable(refused.err));
        QVERIFY(!QFile::exists(db + u"-shm"_s));

        QVERIFY(::chmod(QFile::encodeName(folder).constData(), 0777) == 0);
        const QByteArray before = AppRunner::readAll(db);
        const Run watched = watch();
        QCOMPARE(watched.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(watched.out.toUtf8()).object();
        QCOMPARE(report.value(u"jobs"_s).toArray().size(), 1);
        QCOMPARE(AppRunner::readAll(db), before);      // the data file is untouched
        QCOMPARE(QFileInfo(db + u"-wal"_s).size(), 0); // SQLite's own files: no data in them
        QVERIFY(QFile::exists(db + u"-shm"_s));
    }

    /// --headless --watch --duration ends by itself and writes the report (mode "watch").
    void headlessWatchEndsAfterDuration()
    {
        const QString db = m_home.filePath(u"still.db"_s);
        QVERIFY(makeJobsTable(db, u"('a', 'b1'), ('b', NULL)"_s));
        const Run r = AppRunner::run({u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db,
                                      u"--duration"_s, u"1"_s, u"--report"_s, u"-"_s},
                                     env(), 60000);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(u"mode"_s).toString(), u"watch"_s);
        const QJsonArray jobs = report.value(u"jobs"_s).toArray();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs[0][u"db"_s].toString(), u"b1"_s);
        QCOMPARE(jobs[0][u"current"_s].toString(), u"b1"_s);
        QVERIFY(jobs[1][u"db"_s].isNull()); // not resolved yet: null, as in the table
        QVERIFY2(r.err.contains(u"final:"_s), qPrintable(r.err));
    }

    /// One stickyboard replays a trace into a SQLite file; another watches that file
    /// read-only. The watcher's report matches what the writer left in the database.
    void watchFollowsAnotherProcessWriting()
    {
        const QString db = m_home.filePath(u"shared.db"_s);
        const QString trace = m_home.filePath(u"moving.jsonl"_s);
        {
            QFile f(trace);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(movingTrace(60)); // 6 s at --speed 1
        }
        QProcess writer;
        writer.setProcessEnvironment(env());
        writer.start(QStringLiteral(STICKYBOARD_BIN),
                     {u"--headless"_s, u"--replay"_s, trace, u"--speed"_s, u"1"_s, u"--db"_s,
                      u"sqlite:"_s + db, u"--report"_s, m_home.filePath(u"writer.json"_s)});
        QVERIFY(writer.waitForStarted());
        // The writer creates the schema first thing; watch as soon as the table is there.
        QVERIFY(QTest::qWaitFor(
            [&] {
                if (!QFile::exists(db))
                    return false;
                bool ready = false;
                {
                    QSqlDatabase probe = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"probe"_s);
                    probe.setDatabaseName(db);
                    probe.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
                    QSqlQuery q(probe);
                    ready = probe.open() && q.exec(u"SELECT count(*) FROM jobs"_s);
                }
                QSqlDatabase::removeDatabase(u"probe"_s);
                return ready;
            },
            30000));

        const QString watchReport = m_home.filePath(u"watch.json"_s);
        QProcess watcher;
        watcher.setProcessEnvironment(env());
        watcher.start(QStringLiteral(STICKYBOARD_BIN),
                      {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--poll-ms"_s, u"100"_s,
                       u"--report"_s, watchReport});
        QVERIFY(watcher.waitForStarted());
        QVERIFY(writer.waitForFinished(120000));
        QCOMPARE(writer.exitCode(), 0);
        QTest::qWait(1500); // a few polls after the last write
        ::kill(pid_t(watcher.processId()), SIGINT);
        QVERIFY(watcher.waitForFinished(60000));
        const QString watcherErr = QString::fromUtf8(watcher.readAllStandardError());
        QCOMPARE(watcher.exitCode(), 0);
        QVERIFY2(watcherErr.contains(u"watch: live, polling every 100 ms (updated_at)"_s),
                 qPrintable(watcherErr));

        const QJsonObject written =
            QJsonDocument::fromJson(AppRunner::readAll(m_home.filePath(u"writer.json"_s))).object();
        const QJsonObject watched =
            QJsonDocument::fromJson(AppRunner::readAll(watchReport)).object();
        QCOMPARE(watched.value(u"mode"_s).toString(), u"watch"_s);
        QCOMPARE(watched.value(u"persist"_s).toObject().value(u"attempted"_s).toInt(), 0);
        QVERIFY2(watched.value(u"switches"_s).toInt() > 0, qPrintable(watcherErr));
        QHash<QString, QString> writerDb;
        for (const QJsonValue &job : written.value(u"jobs"_s).toArray())
            writerDb.insert(job[u"job"_s].toString(), job[u"db"_s].toString());
        const QJsonArray jobs = watched.value(u"jobs"_s).toArray();
        QCOMPARE(jobs.size(), 10);
        for (const QJsonValue &job : jobs) {
            const QString id = job[u"job"_s].toString();
            QCOMPARE(job[u"db"_s].toString(), writerDb.value(id));
            QCOMPARE(job[u"current"_s], job[u"db"_s]);
            QCOMPARE(job[u"worker"_s].toString(), u"w%1"_s.arg(id.mid(1).toInt() % 4));
        }
    }

    /// --listen on the real binary: metrics of the run, a token that is enforced, and
    /// POST /events that reaches the trackers.
    void listenServesTheRun()
    {
        QProcess app;
        app.setProcessEnvironment(env());
        app.start(QStringLiteral(STICKYBOARD_BIN),
                  {u"--headless"_s, u"--replay"_s, u"-"_s, u"--speed"_s, u"1"_s, u"--listen"_s,
                   u"127.0.0.1:0"_s, u"--listen-token"_s, u"s3cret"_s});
        QVERIFY(app.waitForStarted()); // stdin stays open: the replay waits for lines
        QString err;
        const QString base = servedUrl(app, &err);
        QVERIFY2(!base.isEmpty(), qPrintable(err));
        QVERIFY(!err.contains(u"s3cret"_s));

        QNetworkAccessManager net;
        QCOMPARE(request(net, u"GET"_s, base + u"/metrics"_s).status, 401);
        QCOMPARE(request(net, u"GET"_s, base + u"/metrics"_s, {}, "wrong").status, 401);
        const Reply posted =
            request(net, u"POST"_s, base + u"/events"_s,
                    "{\"job\":\"h1\",\"worker\":\"w1\",\"backend\":\"b1\"}\nnot json\n", "s3cret");
        QCOMPARE(posted.status, 200);
        const QJsonObject result = QJsonDocument::fromJson(posted.body).object();
        QCOMPARE(result.value(u"accepted"_s).toInt(), 1);
        QCOMPARE(result.value(u"rejected"_s).toInt(), 1);
        QCOMPARE(result.value(u"errors"_s).toArray().at(0)[u"line"_s].toInt(), 2);

        QVERIFY(QTest::qWaitFor(
            [&] {
                const Reply metrics = request(net, u"GET"_s, base + u"/metrics"_s, {}, "s3cret");
                return metrics.status == 200 && metrics.body.contains("stickyboard_jobs 1") &&
                       metrics.body.contains("mode=\"replay\"");
            },
            10000));
        const Reply jobs = request(net, u"GET"_s, base + u"/api/jobs"_s, {}, "s3cret");
        QCOMPARE(jobs.status, 200);
        QVERIFY2(jobs.body.contains("\"h1\""), jobs.body.constData());
        QCOMPARE(request(net, u"GET"_s, base + u"/healthz"_s, {}, "s3cret").status, 200);

        app.closeWriteChannel(); // end of the replay: the run ends
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 0);
    }

    void listenOnATakenPortIsExit2()
    {
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        const QString address = u"127.0.0.1:%1"_s.arg(taken.serverPort());
        const Run r = AppRunner::run({u"--headless"_s, u"--db"_s, u"sqlite::memory:"_s,
                                      u"--listen"_s, address, u"--duration"_s, u"30"_s},
                                     env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(address), qPrintable(r.err));
    }

    /// GET /api/jobs reads; it never counts an event or moves a job. One table change and
    /// three GETs before the watch's poll sees it: the report at exit has events 1 (the old
    /// code counted the GET's reconciliation and then the poll: 2).
    void getJobsInWatchModeChangesNothing()
    {
        const QString db = m_home.filePath(u"gets.db"_s);
        QVERIFY(makeJobsTable(db, u"('a', 'b1')"_s));
        QProcess app;
        app.setProcessEnvironment(env());
        app.start(QStringLiteral(STICKYBOARD_BIN),
                  {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--poll-ms"_s, u"600000"_s,
                   u"--listen"_s, u"127.0.0.1:0"_s, u"--report"_s, u"-"_s});
        QVERIFY(app.waitForStarted());
        QString err;
        const QString base = servedUrl(app, &err);
        QVERIFY2(!base.isEmpty(), qPrintable(err));
        {
            QSqlDatabase c = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"change"_s);
            c.setDatabaseName(db);
            QSqlQuery q(c);
            QVERIFY(c.open() && q.exec(u"UPDATE jobs SET last_backend_id = 'b2'"_s));
        }
        QSqlDatabase::removeDatabase(u"change"_s);
        QNetworkAccessManager net;
        for (int i = 0; i < 3; ++i) {
            const Reply jobs = request(net, u"GET"_s, base + u"/api/jobs"_s);
            QCOMPARE(jobs.status, 200);
            const QJsonObject body = QJsonDocument::fromJson(jobs.body).object();
            QCOMPARE(body.value(u"events"_s).toInt(), 0);
            const QJsonValue job = body.value(u"jobs"_s).toArray().at(0);
            QCOMPARE(job[u"current"_s].toString(), u"b1"_s); // what the screen shows
            QCOMPARE(job[u"db"_s].toString(), u"b2"_s);      // the table now
        }
        ::kill(pid_t(app.processId()), SIGINT);
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 0);
        const QJsonObject report = QJsonDocument::fromJson(app.readAllStandardOutput()).object();
        QCOMPARE(report.value(u"events"_s).toInt(), 1);
        QCOMPARE(report.value(u"switches"_s).toInt(), 1);
        const QJsonValue job = report.value(u"jobs"_s).toArray().at(0);
        QCOMPARE(job[u"current"_s].toString(), u"b2"_s);
        QCOMPARE(job[u"db"_s].toString(), u"b2"_s);
    }

    /// In watch mode the HTTP side never writes: event lines are observations of the
    /// gateway (issue 12), fault lines are refused, and the table stays as it was.
    void listenInWatchModeTakesObservations()
    {
        const QString db = m_home.filePath(u"watched.db"_s);
        QVERIFY(makeJobsTable(db, u"('a', 'b1'), ('b', 'b2')"_s));
        QProcess app;
        app.setProcessEnvironment(env());
        app.start(QStringLiteral(STICKYBOARD_BIN),
                  {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--listen"_s,
                   u"127.0.0.1:0"_s, u"--duration"_s, u"20"_s, u"--stale-after"_s, u"0.2"_s,
                   u"--report"_s, u"-"_s});
        QVERIFY(app.waitForStarted());
        QString err;
        const QString base = servedUrl(app, &err);
        QVERIFY2(!base.isEmpty(), qPrintable(err));
        QNetworkAccessManager net;
        QVERIFY(QTest::qWaitFor(
            [&] {
                return request(net, u"GET"_s, base + u"/metrics"_s)
                    .body.contains("stickyboard_jobs 2");
            },
            10000));
        const Reply posted = request(net, u"POST"_s, base + u"/events"_s,
                                     "{\"job\":\"a\",\"worker\":\"w\",\"backend\":\"b9\"}\n");
        QCOMPARE(posted.status, 200);
        const Reply fault = request(net, u"POST"_s, base + u"/events"_s,
                                    "{\"type\":\"fault\",\"spec\":\"offline\"}\n");
        QCOMPARE(fault.status, 409);
        QVERIFY2(fault.body.contains("fault lines are refused in watch mode"),
                 fault.body.constData());
        QVERIFY(QTest::qWaitFor(
            [&] {
                return request(net, u"GET"_s, base + u"/metrics"_s)
                    .body.contains("\nstickyboard_stale_jobs 1\n");
            },
            10000));
        ::kill(pid_t(app.processId()), SIGINT);
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 0);
        const QJsonObject report = QJsonDocument::fromJson(app.readAllStandardOutput()).object();
        QCOMPARE(report.value(u"staleJobs"_s).toInt(), 1);
        QCOMPARE(report.value(u"persist"_s)[u"attempted"_s].toInt(), 0);
        const QJsonObject a = report.value(u"jobs"_s).toArray().at(0).toObject();
        QCOMPARE(a[u"observed"_s].toString(), u"b9"_s);
        QCOMPARE(a[u"db"_s].toString(), u"b1"_s); // nothing was written
        QCOMPARE(a[u"stale"_s].toBool(), true);
        QVERIFY(a[u"staleSinceMs"_s].toDouble() > 0);
    }

    /// --observe: a gateway's log followed as observations through --observe-map; a bad line
    /// is named with the file and its line number and the file goes on.
    void observeAFollowedLog()
    {
        const QString db = m_home.filePath(u"observed.db"_s);
        QVERIFY(makeJobsTable(db, u"('j1', 'b1'), ('j2', 'b1')"_s));
        const QString log = m_home.filePath(u"gateway.log"_s);
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"s\":{\"id\":\"old\"},\"up\":\"b0\"}\n"); // before the start: not read
        f.flush();
        QProcess app;
        app.setProcessEnvironment(env());
        app.start(QStringLiteral(STICKYBOARD_BIN),
                  {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--poll-ms"_s, u"100"_s,
                   u"--observe"_s, log, u"--observe-map"_s, u"job=/s/id,backend=/up"_s,
                   u"--stale-after"_s, u"0.3"_s, u"--listen"_s, u"127.0.0.1:0"_s, u"--report"_s,
                   u"-"_s});
        QVERIFY(app.waitForStarted());
        QString err;
        const QString base = servedUrl(app, &err);
        QVERIFY2(!base.isEmpty(), qPrintable(err));
        f.write("{\"s\":{\"id\":\"j1\"},\"up\":\"b2\"}\n"
                "garbage\n"
                "{\"s\":{\"id\":\"j2\"},\"up\":\"b2\"}\n");
        f.flush();
        {
            QSqlDatabase c = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"writer"_s);
            c.setDatabaseName(db);
            QSqlQuery q(c);
            QVERIFY(c.open() &&
                    q.exec(u"UPDATE jobs SET last_backend_id = 'b2' WHERE id = 'j1'"_s));
        }
        QSqlDatabase::removeDatabase(u"writer"_s);
        QNetworkAccessManager net;
        QVERIFY(QTest::qWaitFor(
            [&] {
                const QByteArray m = request(net, u"GET"_s, base + u"/metrics"_s).body;
                return m.contains("\nstickyboard_stale_jobs 1\n") &&
                       m.contains("stickyboard_observe_file_lines_total{file=\"" + log.toUtf8() +
                                  "\"} 3") &&
                       m.contains("stickyboard_observe_file_bad_lines_total{file=\"" +
                                  log.toUtf8() + "\"} 1") &&
                       m.contains("stickyboard_observations_total{source=\"file\","
                                  "result=\"accepted\"} 2");
            },
            10000));
        ::kill(pid_t(app.processId()), SIGINT);
        QVERIFY(app.waitForFinished(60000));
        QCOMPARE(app.exitCode(), 0);
        err += QString::fromUtf8(app.readAllStandardError());
        QVERIFY2(err.contains(log + u":3: bad line: not JSON"_s), qPrintable(err));
        const QJsonObject report = QJsonDocument::fromJson(app.readAllStandardOutput()).object();
        QCOMPARE(report.value(u"badLines"_s).toInt(), 1);
        QCOMPARE(report.value(u"staleJobs"_s).toInt(), 1);
        QCOMPARE(report.value(u"observations"_s).toInt(), 2);
        const QJsonArray jobs = report.value(u"jobs"_s).toArray();
        QCOMPARE(jobs.size(), 2); // "old" was before the start
        QCOMPARE(jobs.at(0)[u"stale"_s].toBool(), false);
        QCOMPARE(jobs.at(1)[u"stale"_s].toBool(), true);
        QCOMPARE(jobs.at(1)[u"observed"_s].toString(), u"b2"_s);
        QCOMPARE(jobs.at(1)[u"db"_s].toString(), u"b1"_s);
    }

    /// --observe - reads observations from stdin (event lines by default) until it ends.
    void observeStdin()
    {
        const QString db = m_home.filePath(u"stdin-watched.db"_s);
        QVERIFY(makeJobsTable(db, u"('a', 'b1'), ('b', 'b1')"_s));
        const Run r = AppRunner::run(
            {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--observe"_s, u"-"_s,
             u"--stale-after"_s, u"0"_s, u"--duration"_s, u"2"_s, u"--history"_s, u"none"_s,
             u"--report"_s, u"-"_s},
            env(), 60'000,
            "{\"job\":\"a\",\"worker\":\"w\",\"backend\":\"b2\",\"cacheKey\":\"k\"}\n"
            "{\"job\":\"b\",\"worker\":\"w\",\"backend\":\"b1\"}\n"
            "{\"type\":\"fault\",\"spec\":\"offline\"}\n");
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(u"-:3: bad line: "_s), qPrintable(r.err));
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(u"observations"_s).toInt(), 2);
        QCOMPARE(report.value(u"staleJobs"_s).toInt(), 1); // a; b is in step
        QCOMPARE(report.value(u"badLines"_s).toInt(), 1);
    }

    /// Watch mode keeps its own record in the data folder unless told --history none, and
    /// then writes no file at all.
    void historyNoneWritesNoFile()
    {
        const QString db = m_home.filePath(u"history-watched.db"_s);
        QVERIFY(makeJobsTable(db, u"('a', 'b1')"_s));
        const auto historyFiles = [&] {
            QStringList found;
            QDirIterator it(m_home.filePath(u"data"_s), {u"watch-history.db*"_s}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext())
                found.append(it.next());
            return found;
        };
        for (const QString &f : historyFiles())
            QFile::remove(f);
        Run r = AppRunner::run({u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--duration"_s,
                                u"1"_s, u"--history"_s, u"none"_s},
                               env());
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(historyFiles(), QStringList());
        r = AppRunner::run(
            {u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--duration"_s, u"1"_s}, env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(historyFiles().size() >= 1);
        const QString custom = m_home.filePath(u"mine/history.db"_s);
        r = AppRunner::run({u"--headless"_s, u"--watch"_s, u"sqlite:"_s + db, u"--duration"_s,
                            u"1"_s, u"--history"_s, custom, u"--history-days"_s, u"2"_s},
                           env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFile::exists(custom));
    }
};

QTEST_GUILESS_MAIN(TestOperator)
#include "tst_operator.moc"
