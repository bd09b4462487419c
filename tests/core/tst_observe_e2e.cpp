// ctest-labels: watch observe threads
// Issue 12 end to end, against real SQLite and PostgreSQL and real files: a writer updates a
// jobs table with the original "advance first" bug and loses some writes on purpose; the
// gateway's observations of the same jobs arrive over HTTP (POST /events) and through a
// followed log that is rotated and truncated mid-run. Exactly the jobs whose writes were
// lost become stale after the grace; when the writer finally writes, the recovery is seen
// with the right duration; and nothing is ever written to the watched database.
#include "StoreTestSupport.h"

#include "http/HttpApi.h"
#include "models/EventLogModel.h"
#include "observe/ObservationIntake.h"
#include "report/Report.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"

#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace StoreTest;

namespace {

constexpr double GraceS = 1.0;

/// A worker fleet's writer with the original bug: memory advances first, so a lost write
/// is never retried (the next identical event short-circuits on the equality check).
struct BuggyWriter {
    const DirectDb &db;
    QString table;
    QHash<QString, QString> memory;
    QSet<QString> lose; ///< jobs whose next write is lost
    int writes = 0;

    void write(const QString &job, const QString &backend)
    {
        QSqlQuery q(db.db());
        q.prepare(u"UPDATE %1 SET last_backend_id = ? WHERE id = ?"_s.arg(table));
        q.addBindValue(backend);
        q.addBindValue(job);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
        ++writes;
    }
    void route(const QString &job, const QString &backend)
    {
        if (memory.value(job) == backend)
            return;
        memory[job] = backend;
        if (lose.remove(job))
            return;
        write(job, backend);
    }
};

void append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

/// An access-log line as a gateway writes it; --observe-map picks the fields.
QByteArray gatewayLine(const QString &job, const QString &backend)
{
    return QJsonDocument(
               QJsonObject{{u"req"_s, QJsonObject{{u"job"_s, job}, {u"worker"_s, u"w-"_s + job}}},
                           {u"upstream"_s, QJsonObject{{u"host"_s, backend}}},
                           {u"status"_s, 200}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

double sample(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n'))
        if (line.startsWith(series + ' '))
            return line.sliced(series.size() + 1).toDouble();
    return -1;
}

} // namespace

class TestObserveE2E : public QObject {
    Q_OBJECT

    QNetworkAccessManager m_nam;

    QByteArray http(const QByteArray &verb, const QString &url, const QByteArray &body = {},
                    int *status = nullptr)
    {
        QNetworkRequest req{QUrl(url)};
        req.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-ndjson");
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(req, verb, body));
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 30'000))
            return {};
        if (status)
            *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        return reply->readAll();
    }

    void run(const DbUrl &url, const QString &schema);

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_nam.setProxy(QNetworkProxy::NoProxy);
    }

    void sqlite()
    {
        QTemporaryDir dir;
        DbUrl url;
        url.path = dir.filePath(u"fleet.db"_s);
        run(url, {});
    }

    void postgres()
    {
        STORE_REQUIRE_PG();
        const QString schema = uniqueSchema();
        run(*pgUrl(), schema);
        dropSchema(*pgUrl(), schema);
    }
};

void TestObserveE2E::run(const DbUrl &url, const QString &schema)
{
    const bool pg = url.kind == DbUrl::Kind::Postgres;
    const QString prefix = pg ? schema + u'.' : QString();
    DirectDb db(url, schema, u"writer"_s);
    QVERIFY(db.exec(u"CREATE TABLE %1jobs (id TEXT PRIMARY KEY, worker_id TEXT, "
                    "last_backend_id TEXT)"_s.arg(prefix)));
    // Every write to the table, whoever makes it, leaves a row here.
    QVERIFY(db.exec(u"CREATE TABLE %1audit (n INTEGER)"_s.arg(prefix)));
    if (pg) {
        QVERIFY(db.exec(u"CREATE FUNCTION %1audit_fn() RETURNS trigger AS $$ BEGIN INSERT INTO "
                        "%1audit VALUES (1); RETURN NULL; END $$ LANGUAGE plpgsql"_s.arg(prefix)));
        QVERIFY(db.exec(u"CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON %1jobs FOR "
                        "EACH ROW EXECUTE FUNCTION %1audit_fn()"_s.arg(prefix)));
    } else {
        for (const char *op : {"INSERT", "UPDATE", "DELETE"})
            QVERIFY(db.exec(u"CREATE TRIGGER audit_%1 AFTER %1 ON jobs BEGIN INSERT INTO audit "
                            "VALUES (1); END"_s.arg(QLatin1String(op))));
    }
    const QStringList jobs{u"j1"_s, u"j2"_s, u"j3"_s, u"j4"_s, u"j5"_s, u"j6"_s};
    BuggyWriter writer{db, prefix + u"jobs"_s};
    for (const QString &job : jobs) {
        QVERIFY(db.exec(u"INSERT INTO %1jobs VALUES ('%2', 'w-%2', 'b1')"_s.arg(prefix, job)));
        writer.memory[job] = u"b1"_s;
    }
    const int setupWrites = int(db.scalar(u"SELECT count(*) FROM %1audit"_s.arg(prefix)).toInt());

    QTemporaryDir dir;
    const QString log = dir.filePath(u"gateway.log"_s);
    append(log, gatewayLine(u"j4"_s, u"b1"_s)); // older lines: read from the end, not these
    Session::Options options;
    options.mode = Session::Mode::Watch;
    QString error;
    QVERIFY(options.watch.setTable(prefix + u"jobs"_s, &error));
    QVERIFY(options.watch.setColumns(u"id,last_backend_id,worker_id"_s, &error));
    options.watch.pollMs = 100;
    options.staleAfterS = GraceS;
    options.observeFiles = {log};
    options.observeMap = u"job=/req/job,backend=/upstream/host,worker=/req/worker"_s;
    options.history = dir.filePath(u"history.db"_s); // Stickyboard's own record
    Session session(options, url);
    QSignalSpy ready(&session, &Session::ready);
    QSignalSpy failed(&session, &Session::failed);
    session.start();
    QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30'000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    HttpApi api(&session);
    HttpApi::Options httpOptions;
    httpOptions.listen = *ListenAddress::parse(u"127.0.0.1:0"_s, nullptr);
    QVERIFY2(api.start(httpOptions, &error), qPrintable(error));

    TrackerTable *tracker = session.tracker();
    QList<std::pair<QString, qint64>> stale; ///< job, ms from its difference to the signal
    struct Recovery {
        QString job;
        qint64 durationMs;
        qint64 atMs; ///< when it was seen
    };
    QList<Recovery> recovered;
    connect(tracker, &TrackerTable::becameStale, this, [&](quint32 job, qint64 since) {
        stale.append({tracker->jobId(job), QDateTime::currentMSecsSinceEpoch() - since});
    });
    connect(tracker, &TrackerTable::staleRecovered, this, [&](quint32 job, qint64 durationMs) {
        recovered.append({tracker->jobId(job), durationMs, QDateTime::currentMSecsSinceEpoch()});
    });
    const ObservationIntake *intake = session.observations();
    const auto accepted = [&](const QString &source) {
        for (const ObservationIntake::Tally &t : intake->tallies())
            if (t.source == source && t.result == ObservationIntake::Result::Accepted)
                return t.count;
        return quint64(0);
    };
    const auto post = [&](const QStringList &which) {
        QByteArray body;
        for (const QString &job : which)
            body += QJsonDocument(QJsonObject{{u"job"_s, job},
                                              {u"worker"_s, u"w-"_s + job},
                                              {u"backend"_s, u"b2"_s}})
                        .toJson(QJsonDocument::Compact) +
                    '\n';
        int status = 0;
        http("POST", api.url() + u"/events"_s, body, &status);
        QCOMPARE(status, 200);
    };
    const auto observeInFile = [&](const QStringList &which) {
        for (const QString &job : which)
            append(log, gatewayLine(job, u"b2"_s));
    };

    // Backend b1 goes away: the gateway serves every job on b2, and every worker writes it,
    // except that the writes of j2 and j5 are lost.
    writer.lose = {u"j2"_s, u"j5"_s};
    const qint64 t0 = QDateTime::currentMSecsSinceEpoch();
    post({u"j1"_s, u"j2"_s, u"j3"_s});
    observeInFile({u"j4"_s, u"j5"_s, u"j6"_s});
    for (const QString &job : jobs)
        writer.route(job, u"b2"_s);
    QTRY_COMPARE(accepted(u"file"_s), 3u);

    // The log rotates; the gateway goes on serving the same jobs on b2, and the writer's
    // equality check skips them: the lost writes stay lost.
    QVERIFY(QFile::rename(log, log + u".1"_s));
    observeInFile({u"j4"_s, u"j5"_s, u"j6"_s});
    post({u"j1"_s, u"j2"_s, u"j3"_s});
    for (const QString &job : jobs)
        writer.route(job, u"b2"_s);
    QTRY_COMPARE(accepted(u"file"_s), 6u);
    // ... and is truncated (copytruncate) and written again.
    QVERIFY(QFile(log).resize(0));
    QTest::qWait(300); // a poll sees it shorter before it grows again
    observeInFile({u"j4"_s, u"j5"_s, u"j6"_s});
    QTRY_COMPARE(accepted(u"file"_s), 9u);
    QCOMPARE(accepted(u"http"_s), 6u);
    QCOMPARE(intake->badLines(), 0);

    // Exactly the jobs whose writes were lost become stale, and only after the grace.
    QTRY_COMPARE(stale.size(), 2);
    QTest::qWait(int(GraceS * 1000) + 300); // nobody else does, given time
    QCOMPARE(stale.size(), 2);
    QStringList staleJobs{stale.at(0).first, stale.at(1).first};
    staleJobs.sort();
    QCOMPARE(staleJobs, (QStringList{u"j2"_s, u"j5"_s}));
    for (const auto &[job, afterMs] : std::as_const(stale))
        QVERIFY2(afterMs >= qint64(GraceS * 1000), qPrintable(job));

    QFuture<Report> during = session.collectReport();
    QVERIFY(QTest::qWaitFor([&] { return during.isFinished(); }, 10'000));
    const Report r = during.result();
    QHash<QString, qint64> staleSince;
    QCOMPARE(r.staleJobs, 2u);
    QCOMPARE(r.pendingJobs, 0u);
    QCOMPARE(r.observations, 15u);
    for (const Report::Job &j : r.jobs) {
        const bool lost = j.job == u"j2" || j.job == u"j5";
        QCOMPARE(j.observed, u"b2"_s);
        QCOMPARE(j.current, lost ? u"b1"_s : u"b2"_s);
        QCOMPARE(j.db, j.current);
        QCOMPARE(j.stale, lost);
        QCOMPARE(j.staleSinceMs != 0, lost);
        QVERIFY(j.observedAtMs >= t0);
        if (lost)
            QVERIFY(j.staleSinceMs >= t0 && j.staleSinceMs <= j.observedAtMs);
        staleSince.insert(j.job, j.staleSinceMs);
    }
    const QByteArray metrics = http("GET", api.url() + u"/metrics"_s);
    QCOMPARE(sample(metrics, "stickyboard_stale_jobs"), 2.0);
    QCOMPARE(sample(metrics, "stickyboard_pending_jobs"), 0.0);
    QVERIFY(sample(metrics, "stickyboard_oldest_stale_seconds") >= 1.0);
    QCOMPARE(sample(metrics, "stickyboard_observations_total{source=\"file\",result=\"accepted\"}"),
             9.0);

    // The writer finally writes (a restart reloads from the gateway, say): the table catches
    // up, and the recovery is seen with how long the table trailed.
    QTest::qWait(500);
    const qint64 fixedAt = QDateTime::currentMSecsSinceEpoch();
    writer.write(u"j2"_s, u"b2"_s);
    writer.write(u"j5"_s, u"b2"_s);
    QTRY_COMPARE_WITH_TIMEOUT(recovered.size(), 2, 10'000);
    for (const Recovery &rec : std::as_const(recovered)) {
        // From the first observation that differed to the moment the table was seen holding
        // the observed backend: at least since the write, at most until the signal.
        const qint64 since = staleSince.value(rec.job);
        QVERIFY2(rec.durationMs >= fixedAt - since && rec.durationMs <= rec.atMs - since,
                 qPrintable(u"%1: %2 ms; written after %3 ms, seen after %4 ms"_s.arg(
                     rec.job, QString::number(rec.durationMs), QString::number(fixedAt - since),
                     QString::number(rec.atMs - since))));
        QVERIFY(rec.durationMs >= qint64(GraceS * 1000) + 500);
    }
    QCOMPARE(tracker->staleCount(), 0);
    const auto logged = [&] { // the event log shows rows once per frame
        for (int i = 0; i < session.eventLog()->rowCount(); ++i)
            if (session.eventLog()->entry(i).message.startsWith(u"j5 recovered after "_s))
                return true;
        return false;
    };
    QTRY_VERIFY(logged());
    const QByteArray after = http("GET", api.url() + u"/metrics"_s);
    QCOMPARE(sample(after, "stickyboard_stale_jobs"), 0.0);
    QCOMPARE(sample(after, "stickyboard_stale_duration_seconds_count"), 2.0);
    QCOMPARE(sample(after, "stickyboard_oldest_stale_seconds"), 0.0);

    // Nothing was ever written by Stickyboard: every write to the table is the writer's.
    QCOMPARE(tracker->counters().attempted, 0u);
    QSignalSpy finished(&session, &Session::finished);
    session.shutdown();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || failed.size() > 0, 20'000);
    QCOMPARE(db.scalar(u"SELECT count(*) FROM %1audit"_s.arg(prefix)).toInt(),
             setupWrites + writer.writes);
    QCOMPARE(tableBackends(url, schema), writer.memory);
    // Stickyboard's own record has both stale periods, closed, with their durations.
    DbUrl history;
    history.path = options.history;
    DirectDb own(history, {}, u"history"_s);
    QTRY_COMPARE(own.scalar(u"SELECT group_concat(job) FROM (SELECT job FROM stale_periods "
                            "WHERE until IS NOT NULL AND duration_ms >= 1000 ORDER BY job)"_s)
                     .toString(),
                 u"j2,j5"_s); // written once a second
}

QTEST_GUILESS_MAIN(TestObserveE2E)
#include "tst_observe_e2e.moc"
