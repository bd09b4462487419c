// HttpApi over real HTTP (QNetworkAccessManager, loopback) against a real Session in ingest
// mode on in-memory SQLite; ListenAddress parsing; /metrics checked by promtool.
// ctest-labels: threads http
#include "http/HttpApi.h"
#include "http/ListenAddress.h"
#include "http/Metrics.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkProxy>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

struct Reply {
    int status = 0;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray &name) const
    {
        for (const auto &[key, value] : headers)
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// The value of one series (`name` or `name{labels}`) in a /metrics text; -1 when absent.
double sample(const QByteArray &metrics, const QByteArray &series)
{
    for (const QByteArray &line : metrics.split('\n'))
        if (line.startsWith(series + ' '))
            return line.sliced(series.size() + 1).toDouble();
    return -1;
}

QByteArray lines(const QList<QJsonObject> &objects)
{
    QByteArray out;
    for (const QJsonObject &o : objects)
        out += QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

QJsonObject jobEvent(const QString &job, const QString &backend)
{
    return {{u"job"_s, job}, {u"worker"_s, u"w-"_s + job}, {u"backend"_s, backend}};
}

} // namespace

class tst_HttpApi : public QObject {
    Q_OBJECT

    std::unique_ptr<Session> m_session;
    std::unique_ptr<HttpApi> m_api;
    QNetworkAccessManager m_nam;

    /// A started session in `mode` (watch mode is only constructed: see watchModeIsReadOnly).
    void startSession(Session::Mode mode = Session::Mode::Ingest)
    {
        QString error;
        const auto url = DbUrl::parse(u"sqlite::memory:"_s, &error);
        QVERIFY2(url, qPrintable(error));
        Session::Options options;
        options.mode = mode;
        m_session = std::make_unique<Session>(options, *url);
        if (mode == Session::Mode::Watch)
            return;
        QSignalSpy ready(m_session.get(), &Session::ready);
        QSignalSpy failed(m_session.get(), &Session::failed);
        m_session->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30'000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    }

    void startApi(const QString &token = {}, qint64 maxBodyBytes = qint64(8) * 1024 * 1024)
    {
        HttpApi::Options options;
        options.listen = *ListenAddress::parse(u"127.0.0.1:0"_s, nullptr);
        options.token = token;
        options.maxBodyBytes = maxBodyBytes;
        m_api = std::make_unique<HttpApi>(m_session.get());
        QString error;
        QVERIFY2(m_api->start(options, &error), qPrintable(error));
        QVERIFY(m_api->port() != 0);
    }

    Reply request(const QByteArray &verb, const QString &path, const QByteArray &body = {},
                  const QByteArray &authorization = {})
    {
        QNetworkRequest req(QUrl(m_api->url() + path));
        if (!authorization.isEmpty())
            req.setRawHeader("Authorization", authorization);
        if (verb == "POST")
            req.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-ndjson");
        std::unique_ptr<QNetworkReply> reply(m_nam.sendCustomRequest(req, verb, body));
        Reply out;
        if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 60'000)) {
            qWarning("%s %s timed out", verb.constData(), qPrintable(path));
            return out;
        }
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.headers = reply->rawHeaderPairs();
        return out;
    }
    Reply get(const QString &path, const QByteArray &authorization = {})
    {
        return request("GET", path, {}, authorization);
    }
    Reply post(const QByteArray &body) { return request("POST", u"/events"_s, body); }

    static QString promtool()
    {
        const QString path = QStandardPaths::findExecutable(u"promtool"_s);
        if (path.isEmpty() && qEnvironmentVariable("CI") == u"true")
            qFatal("promtool is not installed (Debian package prometheus; dev.sh installs it)");
        return path;
    }

    /// `promtool check metrics` finds nothing to say about `metrics`.
    void promtoolCheck(const QByteArray &metrics)
    {
        if (promtool().isEmpty())
            return;
        QTemporaryDir dir;
        QFile file(dir.filePath(u"metrics.prom"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(metrics);
        file.close();
        QProcess check;
        check.setStandardInputFile(file.fileName());
        check.start(promtool(), {u"check"_s, u"metrics"_s});
        QVERIFY(check.waitForFinished(60'000));
        const QByteArray output = check.readAllStandardOutput() + check.readAllStandardError();
        QVERIFY2(check.exitStatus() == QProcess::NormalExit && check.exitCode() == 0,
                 output.constData());
        QVERIFY2(output.trimmed().isEmpty(), output.constData());
    }

    void settle()
    {
        m_session->tracker()->flush();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->tracker()->writesInFlight(), 0, 10'000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        m_nam.setProxy(QNetworkProxy::NoProxy); // never a proxy from the environment
    }

    void cleanup()
    {
        if (m_session && m_session->tracker() && m_session->mode() != Session::Mode::Watch)
            QTRY_COMPARE_WITH_TIMEOUT(m_session->tracker()->writesInFlight(), 0, 10'000);
        m_api.reset();
        m_session.reset();
    }

    void listenAddress_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("address");
        QTest::addColumn<int>("port");
        QTest::addColumn<bool>("loopback");
        QTest::addColumn<QString>("written");
        QTest::addRow("ipv4") << u"127.0.0.1:9464"_s << u"127.0.0.1"_s << 9464 << true
                              << u"127.0.0.1:9464"_s;
        QTest::addRow("localhost")
            << u"localhost:9464"_s << u"127.0.0.1"_s << 9464 << true << u"127.0.0.1:9464"_s;
        QTest::addRow("LOCALHOST")
            << u"LocalHost:1"_s << u"127.0.0.1"_s << 1 << true << u"127.0.0.1:1"_s;
        QTest::addRow("any ipv4") << u"0.0.0.0:9464"_s << u"0.0.0.0"_s << 9464 << false
                                  << u"0.0.0.0:9464"_s;
        QTest::addRow("ipv6 loopback")
            << u"[::1]:9464"_s << u"::1"_s << 9464 << true << u"[::1]:9464"_s;
        QTest::addRow("any ipv6") << u"[::]:9464"_s << u"::"_s << 9464 << false << u"[::]:9464"_s;
        QTest::addRow("port only")
            << u":9464"_s << u"127.0.0.1"_s << 9464 << true << u"127.0.0.1:9464"_s;
        QTest::addRow("bare port")
            << u"9464"_s << u"127.0.0.1"_s << 9464 << true << u"127.0.0.1:9464"_s;
        QTest::addRow("ephemeral")
            << u"127.0.0.1:0"_s << u"127.0.0.1"_s << 0 << true << u"127.0.0.1:0"_s;
        QTest::addRow("max port") << u"10.1.2.3:65535"_s << u"10.1.2.3"_s << 65535 << false
                                  << u"10.1.2.3:65535"_s;
    }

    void listenAddress()
    {
        QFETCH(QString, text);
        QFETCH(QString, address);
        QFETCH(int, port);
        QFETCH(bool, loopback);
        QFETCH(QString, written);
        QString error;
        const std::optional<ListenAddress> parsed = ListenAddress::parse(text, &error);
        QVERIFY2(parsed, qPrintable(error));
        QCOMPARE(parsed->address, QHostAddress(address));
        QCOMPARE(parsed->port, quint16(port));
        QCOMPARE(parsed->isLoopback(), loopback);
        QCOMPARE(parsed->toString(), written);
    }

    void listenAddressErrors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addRow("port too big")
            << u"x:99999"_s << u"--listen 'x:99999': port must be 0 to 65535"_s;
        QTest::addRow("negative port")
            << u"127.0.0.1:-1"_s << u"--listen '127.0.0.1:-1': port must be 0 to 65535"_s;
        QTest::addRow("signed port")
            << u"127.0.0.1:+80"_s << u"--listen '127.0.0.1:+80': port must be 0 to 65535"_s;
        QTest::addRow("port not a number")
            << u"127.0.0.1:http"_s << u"--listen '127.0.0.1:http': port must be 0 to 65535"_s;
        QTest::addRow("no colon") << u"localhost"_s
                                  << u"--listen 'localhost': missing port (HOST:PORT, e.g. "
                                     "127.0.0.1:9464)"_s;
        QTest::addRow("empty port") << u"localhost:"_s
                                    << u"--listen 'localhost:': missing port (HOST:PORT, e.g. "
                                       "127.0.0.1:9464)"_s;
        QTest::addRow("empty") << u""_s
                               << u"--listen '': missing port (HOST:PORT, e.g. 127.0.0.1:9464)"_s;
        QTest::addRow("name") << u"foo:9464"_s
                              << u"--listen 'foo:9464': unknown host 'foo' (use an IP address or "
                                 "localhost; names are not resolved)"_s;
        QTest::addRow("bad ipv4") << u"300.1.1.1:80"_s
                                  << u"--listen '300.1.1.1:80': unknown host '300.1.1.1' (use an "
                                     "IP address or localhost; names are not resolved)"_s;
        QTest::addRow("ipv6 without brackets")
            << u"::1:9464"_s
            << u"--listen '::1:9464': put an IPv6 address in brackets, e.g. [::1]:9464"_s;
        QTest::addRow("unclosed bracket")
            << u"[::1:9464"_s << u"--listen '[::1:9464': missing ']' after the IPv6 address"_s;
        QTest::addRow("bracketed ipv4")
            << u"[127.0.0.1]:80"_s
            << u"--listen '[127.0.0.1]:80': unknown host '127.0.0.1' (use an IP address or "
               "localhost; names are not resolved)"_s;
        QTest::addRow("bracketed, no port")
            << u"[::1]"_s << u"--listen '[::1]': missing port (HOST:PORT, e.g. 127.0.0.1:9464)"_s;
    }

    void listenAddressErrors()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!ListenAddress::parse(text, &actual));
        QCOMPARE(actual, error);
    }

    void nonLoopbackNeedsToken()
    {
        startSession();
        HttpApi api(m_session.get());
        HttpApi::Options options;
        options.listen = *ListenAddress::parse(u"0.0.0.0:9464"_s, nullptr);
        QString error;
        QVERIFY(!api.start(options, &error));
        QCOMPARE(error, u"--listen 0.0.0.0:9464 is not a loopback address: pass "
                        "--listen-token-file PATH so requests must carry Authorization: Bearer "
                        "TOKEN"_s);
        QCOMPARE(api.port(), quint16(0));

        // With a token it serves, on every interface, loopback included.
        options.listen.port = 0;
        options.token = u"s3cret"_s;
        m_api = std::make_unique<HttpApi>(m_session.get());
        QVERIFY2(m_api->start(options, &error), qPrintable(error));
        QNetworkRequest req(QUrl(u"http://127.0.0.1:%1/healthz"_s.arg(m_api->port())));
        req.setRawHeader("Authorization", "Bearer s3cret");
        std::unique_ptr<QNetworkReply> reply(m_nam.get(req));
        QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 30'000);
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }

    void bindFailureNamesAddress()
    {
        startSession();
        QTcpServer occupier;
        QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
        HttpApi api(m_session.get());
        HttpApi::Options options;
        options.listen.port = occupier.serverPort();
        QString error;
        QVERIFY(!api.start(options, &error));
        QCOMPARE(error,
                 u"cannot listen on 127.0.0.1:%1: address in use"_s.arg(options.listen.port));
    }

    void tokenRequired()
    {
        startSession();
        startApi(u"s3cret"_s);
        for (const QByteArray &wrong :
             {QByteArray(), QByteArray("Bearer wrong"), QByteArray("Bearer s3cre"),
              QByteArray("Bearer s3cret2"), QByteArray("Basic s3cret"), QByteArray("s3cret")}) {
            const Reply r = get(u"/metrics"_s, wrong);
            QVERIFY2(r.status == 401, wrong.constData());
            QCOMPARE(r.header("WWW-Authenticate"), "Bearer");
            QVERIFY(!r.body.contains("stickyboard_"));
        }
        // Paths are not revealed without the token.
        QCOMPARE(get(u"/nope"_s).status, 401);
        QCOMPARE(request("POST", u"/events"_s, lines({jobEvent(u"j1"_s, u"b1"_s)})).status, 401);
        QCOMPARE(m_session->tracker()->counters().events, 0u);

        const Reply ok = get(u"/metrics"_s, "Bearer s3cret");
        QCOMPARE(ok.status, 200);
        QVERIFY(ok.body.contains("stickyboard_events_total 0\n"));
        QCOMPARE(get(u"/healthz"_s, "bearer s3cret").status, 200); // the scheme has no case
        QCOMPARE(get(u"/nope"_s, "Bearer s3cret").status, 404);
    }

    void metricsAfterEvents()
    {
        startSession();
        startApi();
        QCOMPARE(post(lines({jobEvent(u"j1"_s, u"b1"_s), jobEvent(u"j2"_s, u"b1"_s)})).status, 200);
        settle();
        // j1's next write fails: it stays on b1 (stale, retry pending) though it runs on b2.
        const QJsonObject fault{{u"type"_s, u"fault"_s}, {u"spec"_s, u"fail-next=1,job=j1"_s}};
        QCOMPARE(post(lines({fault, jobEvent(u"j1"_s, u"b2"_s)})).status, 200);
        settle();

        Reply r = get(u"/metrics"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
        QCOMPARE(
            sample(r.body, "stickyboard_info{mode=\"ingest\",version=\"" STICKYBOARD_VERSION "\"}"),
            1);
        QCOMPARE(sample(r.body, "stickyboard_events_total"), 3);
        QCOMPARE(sample(r.body, "stickyboard_persist_attempts_total{result=\"succeeded\"}"), 2);
        QCOMPARE(sample(r.body, "stickyboard_persist_attempts_total{result=\"failed\"}"), 1);
        QCOMPARE(sample(r.body, "stickyboard_switches_total"), 0);
        QCOMPARE(sample(r.body, "stickyboard_retries_recovered_total"), 0);
        QCOMPARE(sample(r.body, "stickyboard_bad_lines_total"), 0);
        QCOMPARE(sample(r.body, "stickyboard_jobs"), 2);
        QCOMPARE(sample(r.body, "stickyboard_stale_jobs"), 1);
        QCOMPARE(sample(r.body, "stickyboard_retry_pending_jobs"), 1);
        // Just failed: the age is whole seconds, 0 or 1 here, never absent.
        QVERIFY(sample(r.body, "stickyboard_oldest_retry_pending_seconds") >= 0);
        QVERIFY(sample(r.body, "stickyboard_oldest_retry_pending_seconds") < 5);
        QCOMPARE(sample(r.body, "stickyboard_watch_up"), -1); // not watching: no such series
        QCOMPARE(sample(r.body, "stickyboard_writes_in_flight"), 0);
        QCOMPARE(sample(r.body, "stickyboard_backend_jobs{backend=\"b1\"}"), 2);
        QCOMPARE(sample(r.body, "stickyboard_backend_jobs{backend=\"b2\"}"), 0);

        // The next event retries and succeeds; a backend line takes b3 offline.
        const QJsonObject offline{
            {u"type"_s, u"backend"_s}, {u"backend"_s, u"b3"_s}, {u"state"_s, u"offline"_s}};
        QCOMPARE(post(lines({jobEvent(u"j1"_s, u"b2"_s), offline})).status, 200);
        settle();
        r = get(u"/metrics"_s);
        QCOMPARE(sample(r.body, "stickyboard_events_total"), 4);
        QCOMPARE(sample(r.body, "stickyboard_persist_attempts_total{result=\"succeeded\"}"), 3);
        QCOMPARE(sample(r.body, "stickyboard_switches_total"), 1);
        QCOMPARE(sample(r.body, "stickyboard_retries_recovered_total"), 1);
        QCOMPARE(sample(r.body, "stickyboard_stale_jobs"), 0);
        QCOMPARE(sample(r.body, "stickyboard_retry_pending_jobs"), 0);
        QCOMPARE(sample(r.body, "stickyboard_oldest_retry_pending_seconds"), 0);
        QCOMPARE(sample(r.body, "stickyboard_backend_jobs{backend=\"b1\"}"), 1);
        QCOMPARE(sample(r.body, "stickyboard_backend_jobs{backend=\"b2\"}"), 1);
        QCOMPARE(sample(r.body, "stickyboard_backend_jobs{backend=\"b3\"}"), 0);
        QCOMPARE(sample(r.body, "stickyboard_backend_state{backend=\"b3\",state=\"offline\"}"), 1);
        QCOMPARE(sample(r.body, "stickyboard_backend_state{backend=\"b3\",state=\"online\"}"), 0);
        QCOMPARE(sample(r.body, "stickyboard_backend_state{backend=\"b1\",state=\"online\"}"), 1);
        QCOMPARE(sample(r.body, "stickyboard_backend_state{backend=\"b1\",state=\"offline\"}"), 0);
        // Every family says what it is, once.
        QCOMPARE(r.body.count("# TYPE stickyboard_backend_state gauge\n"), 1);
        QCOMPARE(r.body.count("# HELP stickyboard_events_total "), 1);
    }

    void metricsEscapeLabelValues()
    {
        QCOMPARE(Metrics::escapeLabelValue(u"plain"_s), "plain");
        QCOMPARE(Metrics::escapeLabelValue(u"a\"b\\c\nd"_s), "a\\\"b\\\\c\\nd");
        QCOMPARE(Metrics::escapeLabelValue(u"ünï😀"_s), u"ünï😀"_s.toUtf8());

        startSession();
        QString error;
        // A newline is no longer a valid id (a bad line): escapeLabelValue covers it above.
        for (const QString &backend : {u"q\"uote"_s, u"back\\slash"_s})
            QVERIFY2(m_session->ingest(QJsonDocument(jobEvent(u"j-"_s + backend, backend))
                                           .toJson(QJsonDocument::Compact),
                                       &error),
                     qPrintable(error));
        settle();
        const QByteArray text = Metrics::render(*m_session);
        QCOMPARE(sample(text, "stickyboard_backend_jobs{backend=\"q\\\"uote\"}"), 1);
        QCOMPARE(sample(text, "stickyboard_backend_jobs{backend=\"back\\\\slash\"}"), 1);
    }

    void promtoolAcceptsMetrics()
    {
        if (promtool().isEmpty())
            QSKIP("promtool is not installed (Debian package prometheus; dev.sh installs it)");
        startSession();
        startApi();
        QList<QJsonObject> events;
        const QStringList backends{u"b1"_s,        u"q\"uote"_s,   u"back\\slash"_s,
                                   u"new\nline"_s, u"ünïcødé-😀"_s, u"{x=\"y\"} 1"_s,
                                   u"tab\there"_s, u"#comment"_s};
        for (qsizetype i = 0; i < backends.size(); ++i)
            events << jobEvent(u"job-%1-ü"_s.arg(i), backends.at(i));
        events << QJsonObject{{u"type"_s, u"backend"_s},
                              {u"backend"_s, u"saturated\"one"_s},
                              {u"state"_s, u"saturated"_s}};
        QCOMPARE(post(lines(events)).status, 200);
        settle();
        const Reply r = get(u"/metrics"_s);
        QCOMPARE(r.status, 200);

        promtoolCheck(r.body);
    }

    void jobsReport()
    {
        startSession();
        startApi();
        const QJsonObject fault{{u"type"_s, u"fault"_s}, {u"spec"_s, u"fail-next=1,job=j2"_s}};
        QCOMPARE(
            post(lines({jobEvent(u"j1"_s, u"b1"_s), fault, jobEvent(u"j2"_s, u"b2"_s)})).status,
            200);
        settle();
        const Reply r = get(u"/api/jobs"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Content-Type").startsWith("application/json"));
        const QJsonObject report = r.json();
        QCOMPARE(report[u"mode"_s].toString(), u"ingest"_s);
        QCOMPARE(report[u"events"_s].toInt(), 2);
        QCOMPARE(report[u"persist"_s][u"failed"_s].toInt(), 1);
        QCOMPARE(report[u"staleJobs"_s].toInt(), 1);
        const QJsonArray jobs = report[u"jobs"_s].toArray();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs[0].toObject(), (QJsonObject{{u"job"_s, u"j1"_s},
                                                  {u"worker"_s, u"w-j1"_s},
                                                  {u"current"_s, u"b1"_s},
                                                  {u"db"_s, u"b1"_s},
                                                  {u"observed"_s, u"b1"_s},
                                                  {u"persistFailures"_s, 0}}));
        // j2's only write failed: nothing persisted, in memory or in the database.
        QCOMPARE(jobs[1].toObject(), (QJsonObject{{u"job"_s, u"j2"_s},
                                                  {u"worker"_s, u"w-j2"_s},
                                                  {u"current"_s, QJsonValue::Null},
                                                  {u"db"_s, QJsonValue::Null},
                                                  {u"observed"_s, u"b2"_s},
                                                  {u"persistFailures"_s, 1}}));
    }

    void healthz()
    {
        startSession();
        startApi();
        const Reply r = get(u"/healthz"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json(), (QJsonObject{{u"status"_s, u"ok"_s}, {u"mode"_s, u"ingest"_s}}));
    }

    void postEvents()
    {
        startSession();
        startApi();
        // Line 2 is blank, line 3 is not JSON, line 5 lacks a backend; lines count from 1.
        const QByteArray body = "{\"job\":\"j1\",\"worker\":\"w1\",\"backend\":\"b1\"}\n"
                                "\n"
                                "not json\r\n"
                                "{\"job\":\"j2\",\"worker\":\"w2\",\"backend\":\"b2\"}\r\n"
                                "{\"job\":\"j3\",\"worker\":\"w3\"}\n"
                                "{\"type\":\"backend\",\"backend\":\"b2\",\"state\":\"saturated\"}";
        const Reply r = post(body);
        QCOMPARE(r.status, 200);
        const QJsonObject result = r.json();
        QCOMPARE(result[u"accepted"_s].toInt(), 3);
        QCOMPARE(result[u"rejected"_s].toInt(), 2);
        const QJsonArray errors = result[u"errors"_s].toArray();
        QCOMPARE(errors.size(), 2);
        QCOMPARE(errors[0][u"line"_s].toInt(), 3);
        QCOMPARE(errors[1][u"line"_s].toInt(), 5);
        QVERIFY(!errors[0][u"error"_s].toString().isEmpty());
        QVERIFY(!errors[1][u"error"_s].toString().isEmpty());
        settle();
        QCOMPARE(m_session->tracker()->counters().events, 2u);
        // Refused lines count as bad lines, as a file's would: in /metrics and the report.
        QCOMPARE(sample(get(u"/metrics"_s).body, "stickyboard_bad_lines_total"), 2);
        QCOMPARE(m_session->badLines(), 2);
        QCOMPARE(m_session->tracker()->counters().succeeded, 2u);
    }

    void postEventsAllBad()
    {
        startSession();
        startApi();
        QByteArray body;
        for (int i = 0; i < 150; ++i)
            body += "{\"job\":\n";
        const Reply r = post(body);
        QCOMPARE(r.status, 400);
        const QJsonObject result = r.json();
        QCOMPARE(result[u"accepted"_s].toInt(), 0);
        QCOMPARE(result[u"rejected"_s].toInt(), 150);
        const QJsonArray errors = result[u"errors"_s].toArray();
        QCOMPARE(errors.size(), 100); // the first 100; "rejected" counts them all
        QCOMPARE(errors.first()[u"line"_s].toInt(), 1);
        QCOMPARE(errors.last()[u"line"_s].toInt(), 100);

        // An empty body is no error: nothing to do.
        const Reply empty = post({});
        QCOMPARE(empty.status, 200);
        QCOMPARE(empty.json()[u"accepted"_s].toInt(), 0);
    }

    void bodyTooLarge()
    {
        startSession();
        startApi({}, 1024);
        QList<QJsonObject> events;
        for (int i = 0; i < 40; ++i)
            events << jobEvent(u"job%1"_s.arg(i), u"b1"_s);
        const QByteArray body = lines(events);
        QVERIFY(body.size() > 1024);
        const Reply r = post(body);
        QCOMPARE(r.status, 413);
        QVERIFY(r.json()[u"error"_s].toString().contains(u"at most 1024"_s));
        QCOMPARE(m_session->tracker()->counters().events, 0u); // none of it applied
        QCOMPARE(post(lines(events.mid(0, 5))).status, 200);   // a small one still works
    }

    void oversizedRequestIsCut()
    {
        // Qt 6.4 buffers a whole request before any handler runs; a client announcing (and
        // sending) far more than the limit is cut off while it sends, not buffered.
        startSession();
        startApi(u"s3cret"_s, 1024);
        QTcpSocket client;
        client.setProxy(QNetworkProxy::NoProxy);
        client.connectToHost(QHostAddress::LocalHost, m_api->port());
        QVERIFY(client.waitForConnected(10'000));
        client.write("POST /events HTTP/1.1\r\nHost: localhost\r\n"
                     "Content-Length: 1000000000\r\n\r\n");
        client.write(QByteArray(qsizetype(256) * 1024, 'x'));
        QTRY_VERIFY_WITH_TIMEOUT(client.state() == QAbstractSocket::UnconnectedState, 20'000);
        // Refused on its head alone (no token: 401, before any body byte is kept).
        const QByteArray answer = client.readAll();
        QVERIFY2(answer.isEmpty() || answer.startsWith("HTTP/1.1 401 "), answer.constData());
        QCOMPARE(get(u"/healthz"_s, "Bearer s3cret").status, 200); // the server goes on
    }

    void clientHangsUpWhileJobsAreRead()
    {
        // The answer to /api/jobs comes later; a client gone by then (its socket deleted)
        // must be skipped, not written to.
        startSession();
        startApi();
        for (int i = 0; i < 20'000; ++i)
            m_session->tracker()->addJob(u"job%1"_s.arg(i), u"w"_s, u"b1"_s);
        for (int round = 0; round < 3; ++round) {
            QTcpSocket client;
            client.setProxy(QNetworkProxy::NoProxy);
            client.connectToHost(QHostAddress::LocalHost, m_api->port());
            QVERIFY(client.waitForConnected(10'000));
            client.write("GET /api/jobs HTTP/1.1\r\nHost: localhost\r\n\r\n");
            QVERIFY(client.waitForBytesWritten(10'000));
            QTest::qWait(round * 5); // hang up at different points
            client.abort();
        }
        // Answered after the abandoned ones (same store thread, same order): they are done.
        const Reply r = get(u"/api/jobs"_s);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"jobs"_s].toArray().size(), 20'000);
    }

    /// A real watch of a SQLite file: /healthz says 503 with the reason while the table
    /// cannot be read, and the metrics say the watch is down.
    void watchHealthFollowsTheConnection()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"watched.db"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"writer"_s);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, last_backend_id TEXT)"_s));
            QVERIFY(q.exec(u"INSERT INTO jobs VALUES ('j1', 'b1')"_s));
        }
        QString error;
        const auto url = DbUrl::parse(u"sqlite:"_s + path, &error);
        QVERIFY2(url, qPrintable(error));
        Session::Options options;
        options.mode = Session::Mode::Watch;
        options.watch.pollMs = 100;
        m_session = std::make_unique<Session>(options, *url);
        QSignalSpy ready(m_session.get(), &Session::ready);
        m_session->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), 30'000);
        startApi();
        QCOMPARE(get(u"/healthz"_s).status, 200);
        const QByteArray live = get(u"/metrics"_s).body;
        QCOMPARE(sample(live, "stickyboard_watch_up"), 1.0);
        QCOMPARE(sample(live, "stickyboard_backend_jobs{backend=\"b1\"}"), 1.0);
        QVERIFY(!live.contains("stickyboard_backend_state")); // unknown in watch mode

        {
            QSqlQuery q(QSqlDatabase::database(u"writer"_s));
            QVERIFY(q.exec(u"ALTER TABLE jobs RENAME TO gone"_s));
        }
        QTRY_VERIFY_WITH_TIMEOUT(!m_session->healthProblem().isEmpty(), 10'000);
        const Reply down = get(u"/healthz"_s);
        QCOMPARE(down.status, 503);
        QCOMPARE(down.json()[u"status"_s].toString(), u"degraded"_s);
        QVERIFY2(down.json()[u"reason"_s].toString().contains(u"no such table"_s), down.body);
        QCOMPARE(sample(get(u"/metrics"_s).body, "stickyboard_watch_up"), 0.0);
        QSqlDatabase::removeDatabase(u"writer"_s);
    }

    void watchModeTakesObservations()
    {
        // Watch mode never writes: event lines are observations of the gateway (issue 12),
        // fault lines are refused with 409. The session is not started: no database needed.
        startSession(Session::Mode::Watch);
        startApi();
        const Reply r = post(lines({jobEvent(u"j1"_s, u"b1"_s)}));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"accepted"_s].toInt(), 1);
        const quint32 job = m_session->tracker()->findJob(u"j1"_s);
        QVERIFY(job != TrackerTable::None);
        QCOMPARE(m_session->tracker()->backendText(m_session->tracker()->state(job).observed),
                 u"b1"_s);
        QCOMPARE(m_session->tracker()->preferredBackend(job), QString()); // the table's: none
        QCOMPARE(m_session->tracker()->counters().attempted, 0u);

        const QJsonObject fault{{u"type"_s, u"fault"_s}, {u"spec"_s, u"fail-next=1"_s}};
        const Reply refused = post(lines({fault, jobEvent(u"j2"_s, u"b2"_s)}));
        QCOMPARE(refused.status, 409);
        QCOMPARE(refused.json()[u"accepted"_s].toInt(), 1); // the event line still applies
        const QJsonObject error = refused.json()[u"errors"_s].toArray().at(0).toObject();
        QCOMPARE(error[u"line"_s].toInt(), 1);
        QVERIFY2(
            error[u"error"_s].toString().startsWith(u"fault lines are refused in watch mode"_s),
            qPrintable(error[u"error"_s].toString()));

        const QByteArray metrics = get(u"/metrics"_s).body;
        QCOMPARE(
            sample(metrics, "stickyboard_observations_total{source=\"http\",result=\"accepted\"}"),
            2.0);
        QCOMPARE(
            sample(metrics, "stickyboard_observations_total{source=\"http\",result=\"refused\"}"),
            1.0);
        QCOMPARE(sample(metrics, "stickyboard_pending_jobs"), 2.0);
        QCOMPARE(sample(metrics, "stickyboard_stale_jobs"), 0.0);
        QCOMPARE(sample(metrics, "stickyboard_stale_duration_seconds_count"), 0.0);
        QCOMPARE(sample(metrics, "stickyboard_observation_age_seconds{source=\"http\"}"), 0.0);
        QCOMPARE(sample(metrics, "stickyboard_observation_age_seconds{source=\"litellm\"}"), -1);
        promtoolCheck(metrics);
    }

    void liteLlmIngest()
    {
        startSession(Session::Mode::Watch);
        startApi();
        QJsonArray batch;
        batch.append(QJsonObject{{u"trace_id"_s, u"t1"_s},
                                 {u"model_id"_s, u"dep-a"_s},
                                 {u"api_base"_s, u"http://a"_s},
                                 {u"status"_s, u"success"_s},
                                 {u"cache_key"_s, u"k1"_s},
                                 {u"cache_hit"_s, true}});
        batch.append(QJsonObject{
            {u"trace_id"_s, u"t2"_s}, {u"model_id"_s, u"dep-b"_s}, {u"status"_s, u"failure"_s}});
        const Reply r = request("POST", u"/ingest/litellm"_s,
                                QJsonDocument(batch).toJson(QJsonDocument::Compact));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"accepted"_s].toInt(), 1);
        QCOMPARE(r.json()[u"failed"_s].toInt(), 1);
        const QByteArray metrics = get(u"/metrics"_s).body;
        QCOMPARE(
            sample(metrics, "stickyboard_observations_total{source=\"litellm\",result=\"failed\"}"),
            1.0);
        QCOMPARE(request("POST", u"/ingest/litellm"_s, "nonsense").status, 400);
        QCOMPARE(request("GET", u"/ingest/litellm"_s).status, 405);
    }

    void liteLlmOutsideWatchMode()
    {
        startSession();
        startApi();
        const Reply r = request("POST", u"/ingest/litellm"_s, "[]");
        QCOMPARE(r.status, 409);
        QVERIFY(r.json()[u"error"_s].toString().contains(u"only watch mode"_s));
    }

    void unknownPathAndWrongMethod_data()
    {
        QTest::addColumn<QByteArray>("verb");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("allow");
        QTest::addRow("unknown") << QByteArray("GET") << u"/nope"_s << 404 << QByteArray();
        QTest::addRow("prefix") << QByteArray("GET") << u"/metricsx"_s << 404 << QByteArray();
        QTest::addRow("root") << QByteArray("GET") << u"/"_s << 404 << QByteArray();
        QTest::addRow("post metrics")
            << QByteArray("POST") << u"/metrics"_s << 405 << QByteArray("GET");
        QTest::addRow("get events")
            << QByteArray("GET") << u"/events"_s << 405 << QByteArray("POST");
        QTest::addRow("delete jobs")
            << QByteArray("DELETE") << u"/api/jobs"_s << 405 << QByteArray("GET");
        QTest::addRow("put healthz")
            << QByteArray("PUT") << u"/healthz"_s << 405 << QByteArray("GET");
    }

    void unknownPathAndWrongMethod()
    {
        QFETCH(QByteArray, verb);
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QByteArray, allow);
        startSession();
        startApi();
        const Reply r = request(verb, path, verb == "GET" || verb == "DELETE" ? "" : "x");
        QCOMPARE(r.status, status);
        QCOMPARE(r.header("Allow"), allow);
        QVERIFY2(!r.json()[u"error"_s].toString().isEmpty(), r.body.constData());
        QCOMPARE(m_session->tracker()->counters().events, 0u);
    }

    void scalesTo100kJobs()
    {
        startSession();
        startApi();
        TrackerTable *tracker = m_session->tracker();
        const int jobs = 100'000;
        for (int i = 0; i < jobs; ++i)
            tracker->addJob(u"job%1"_s.arg(i), u"w%1"_s.arg(i % 500), u"b%1"_s.arg(i % 10));

        QElapsedTimer timer;
        timer.start();
        const QByteArray text = Metrics::render(*m_session);
        const qint64 renderMs = timer.elapsed();
        double total = 0;
        for (int b = 0; b < 10; ++b)
            total += sample(text,
                            "stickyboard_backend_jobs{backend=\"b" + QByteArray::number(b) + "\"}");
        QCOMPARE(total, double(jobs));
        QVERIFY2(renderMs < 250, qPrintable(u"render took %1 ms"_s.arg(renderMs)));

        // The event loop keeps turning while the report is read and written out.
        QElapsedTimer sinceTick;
        qint64 longestStallMs = 0;
        QTimer ticker;
        ticker.setInterval(5);
        connect(&ticker, &QTimer::timeout, this,
                [&] { longestStallMs = std::max(longestStallMs, sinceTick.restart()); });
        sinceTick.start();
        ticker.start();
        timer.restart();
        const Reply r = get(u"/api/jobs"_s);
        const qint64 jobsMs = timer.elapsed();
        ticker.stop();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json()[u"jobs"_s].toArray().size(), jobs);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__) // several times slower there
        // Writing 100k jobs as JSON takes most of a second: it must not happen on this thread.
        QVERIFY2(longestStallMs < 600, qPrintable(u"stalled %1 ms"_s.arg(longestStallMs)));
#endif
        qInfo("100k jobs: /metrics rendered in %lld ms, /api/jobs answered in %lld ms, longest "
              "event-loop stall %lld ms",
              renderMs, jobsMs, longestStallMs);
    }
};

QTEST_GUILESS_MAIN(tst_HttpApi)
#include "tst_httpapi.moc"
