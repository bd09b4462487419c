// The HTTP API under hostile clients, through real sockets on 127.0.0.1 against a real
// Session (ingest mode, in-memory SQLite): timeouts, a connection flood, lying lengths,
// browser defences (Host, Origin, Content-Type), memory given back, a big POST that does not
// stall /healthz, bounded /metrics; and the same handler chain without a socket.
// ctest-labels: threads http
#include "http/HttpApi.h"
#include "http/HttpConnection.h"
#include "http/Metrics.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkProxy>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

#include <unistd.h>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/// Resident memory of this process, from /proc/self/statm.
qint64 rssBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.value(1).toLongLong() * sysconf(_SC_PAGESIZE);
}

/// A raw client: writes what a test says, reads whatever comes back.
struct Client {
    std::unique_ptr<QTcpSocket> socket = std::make_unique<QTcpSocket>();
    QByteArray received;

    bool connectTo(quint16 port)
    {
        socket->setProxy(QNetworkProxy::NoProxy);
        QObject::connect(socket.get(), &QTcpSocket::readyRead, socket.get(),
                         [this] { received += socket->readAll(); });
        socket->connectToHost(QHostAddress::LocalHost, port);
        return socket->waitForConnected(10'000);
    }
    bool closed() const { return socket->state() == QAbstractSocket::UnconnectedState; }
    /// The status of the first answer, 0 while none is complete.
    int status() const
    {
        if (!received.startsWith("HTTP/1.1 ") || !received.contains("\r\n\r\n"))
            return 0;
        return received.mid(9, 3).toInt();
    }
    QJsonObject json() const
    {
        return QJsonDocument::fromJson(received.sliced(received.indexOf("\r\n\r\n") + 4)).object();
    }
};

QByteArray eventLine(const QString &job, const QString &backend)
{
    return QJsonDocument(
               QJsonObject{{u"job"_s, job}, {u"worker"_s, u"w"_s}, {u"backend"_s, backend}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

QByteArray post(const QByteArray &body, const QByteArray &extraHeaders = {},
                const QByteArray &type = "application/x-ndjson")
{
    return "POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + type +
           "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n" + extraHeaders +
           "\r\n" + body;
}

} // namespace

class tst_HttpLimits : public QObject {
    Q_OBJECT

    std::unique_ptr<Session> m_session;
    std::unique_ptr<HttpApi> m_api;

    void startSession(qint64 maxBackends = Session::Options{}.maxBackends)
    {
        QString error;
        const auto url = DbUrl::parse(u"sqlite::memory:"_s, &error);
        QVERIFY2(url, qPrintable(error));
        Session::Options options;
        options.mode = Session::Mode::Ingest;
        options.maxBackends = maxBackends;
        m_session = std::make_unique<Session>(options, *url);
        QSignalSpy ready(m_session.get(), &Session::ready);
        QSignalSpy failed(m_session.get(), &Session::failed);
        m_session->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30'000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    }

    /// Short timeouts, so that no test waits 30 s.
    static HttpLimits quickLimits()
    {
        HttpLimits limits;
        limits.idleTimeoutMs = 600;
        limits.headTimeoutMs = 600;
        limits.bodyStallMs = 600;
        return limits;
    }

    void startApi(HttpApi::Options options = {})
    {
        if (options.listen.port == 0)
            options.listen = *ListenAddress::parse(u"127.0.0.1:0"_s, nullptr);
        m_api = std::make_unique<HttpApi>(m_session.get());
        QString error;
        QVERIFY2(m_api->start(options, &error), qPrintable(error));
    }

    /// One request on a fresh connection; the first answer's status (0: none in 10 s).
    Client ask(const QByteArray &raw)
    {
        Client c;
        if (!c.connectTo(m_api->port()))
            return c;
        c.socket->write(raw);
        (void)QTest::qWaitFor([&] { return c.status() != 0 || c.closed(); }, 10'000);
        return c;
    }
    int statusOf(const QByteArray &raw) { return ask(raw).status(); }
    static QByteArray get(const QByteArray &path, const QByteArray &headers)
    {
        return "GET " + path + " HTTP/1.1\r\n" + headers + "\r\n";
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLoggingCategory::setFilterRules(u"stickyboard.*.info=false"_s); // 100k jobs resolved
    }

    void cleanup()
    {
        if (m_session && m_session->tracker())
            QTRY_COMPARE_WITH_TIMEOUT(m_session->tracker()->writesInFlight(), 0, 30'000);
        m_api.reset();
        m_session.reset();
    }

    void idleClientIsClosed()
    {
        startSession();
        HttpApi::Options options;
        options.limits = quickLimits();
        startApi(options);
        Client c;
        QVERIFY(c.connectTo(m_api->port()));
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.closed(), 5'000);
        QVERIFY(clock.elapsed() >= 400);
        QVERIFY(c.received.isEmpty()); // nothing asked, nothing said
        // Idle again after an answer on a kept-alive connection: closed as well.
        Client k;
        QVERIFY(k.connectTo(m_api->port()));
        k.socket->write(get("/healthz", "Host: localhost\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(k.status(), 200, 5'000);
        QTRY_VERIFY_WITH_TIMEOUT(k.closed(), 5'000);
    }

    void slowHeadersAreCut()
    {
        startSession();
        HttpApi::Options options;
        options.limits = quickLimits();
        options.limits.idleTimeoutMs = 60'000; // each byte would reset an idle timer
        startApi(options);
        Client c;
        QVERIFY(c.connectTo(m_api->port()));
        c.socket->write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
        QElapsedTimer clock;
        clock.start();
        while (!c.closed() && clock.elapsed() < 5'000) {
            c.socket->write("X-Slow: 1\r\n"); // a header line now and then, never the end
            QTest::qWait(100);
        }
        QVERIFY2(c.closed(), "a client trickling headers kept its connection");
        QCOMPARE(c.status(), 408);
        QVERIFY(clock.elapsed() < 3'000);
    }

    void stalledBodyIsDropped()
    {
        // Content-Length says 1000, 10 bytes come: a lie, or a client gone quiet.
        startSession();
        HttpApi::Options options;
        options.limits = quickLimits();
        options.limits.idleTimeoutMs = 60'000;
        startApi(options);
        Client c;
        QVERIFY(c.connectTo(m_api->port()));
        c.socket->write("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        "application/x-ndjson\r\nContent-Length: 1000\r\n\r\n0123456789");
        QTRY_VERIFY_WITH_TIMEOUT(c.closed(), 5'000);
        QCOMPARE(c.status(), 408);
        QVERIFY(c.json()[u"error"_s].toString().contains(u"stopped arriving"_s));
    }

    void lyingContentLengthIsAnsweredAtOnce()
    {
        // 100 MiB announced, 10 bytes sent: refused on the head, not waited for.
        startSession();
        startApi();
        Client c;
        QVERIFY(c.connectTo(m_api->port()));
        QElapsedTimer clock;
        clock.start();
        c.socket->write("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        "application/x-ndjson\r\nContent-Length: 104857600\r\n\r\n0123456789");
        QTRY_COMPARE_WITH_TIMEOUT(c.status(), 413, 5'000);
        QTRY_VERIFY_WITH_TIMEOUT(c.closed(), 5'000); // the body cannot be framed: closed
        QVERIFY(clock.elapsed() < 3'000);
        // Malformed framing: 400 or 501, never a stuck socket.
        QCOMPARE(statusOf("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n"),
                 400);
        QCOMPARE(statusOf("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                          "Content-Length: 6\r\n\r\n"),
                 400);
        QCOMPARE(statusOf("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n"),
                 400);
        QCOMPARE(statusOf("POST /events HTTP/1.1\r\nHost: localhost\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
                 501);
        QCOMPARE(statusOf("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-" +
                          QByteArray(20'000, 'a') + ": 1\r\n\r\n"),
                 431);
        QCOMPARE(statusOf("GET /healthz HTTP/2.0\r\nHost: localhost\r\n\r\n"), 505);
        QCOMPARE(statusOf("GET /healthz HTTP/1.1\r\nHost: localhost\r\n bad: fold\r\n\r\n"), 400);
        QCOMPARE(m_session->tracker()->counters().events, 0u);
    }

    void connectionFlood()
    {
        startSession();
        startApi(); // the real limits: 128 connections
        std::vector<std::unique_ptr<Client>> held;
        for (int i = 0; i < 128; ++i) {
            held.push_back(std::make_unique<Client>());
            QVERIFY(held.back()->connectTo(m_api->port()));
            QTRY_COMPARE_WITH_TIMEOUT(m_api->connectionCount(), i + 1, 10'000); // accepted
        }
        QTRY_COMPARE_WITH_TIMEOUT(m_api->connectionCount(), 128, 10'000);
        std::vector<std::unique_ptr<Client>> extra;
        for (int i = 0; i < 5; ++i) {
            extra.push_back(std::make_unique<Client>());
            QVERIFY(extra.back()->connectTo(m_api->port()));
        }
        for (const auto &c : extra) {
            QTRY_COMPARE_WITH_TIMEOUT(c->status(), 503, 10'000);
            QTRY_VERIFY_WITH_TIMEOUT(c->closed(), 10'000);
        }
        QCOMPARE(m_api->connectionCount(), 128);
        // The held ones still work, and a slot freed is a slot for someone else.
        held.front()->socket->write(get("/healthz", "Host: localhost\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(held.front()->status(), 200, 10'000);
        held.pop_back();
        QTRY_COMPARE_WITH_TIMEOUT(m_api->connectionCount(), 127, 10'000);
        QCOMPARE(statusOf(get("/healthz", "Host: localhost\r\n")), 200);
    }

    void hostMustNameThisServer_data()
    {
        QTest::addColumn<QByteArray>("headers");
        QTest::addColumn<int>("status");
        QTest::addRow("rebinding name") << QByteArray("Host: attacker.example\r\n") << 421;
        QTest::addRow("rebinding with port")
            << QByteArray("Host: attacker.example:9464\r\n") << 421;
        QTest::addRow("other address") << QByteArray("Host: 127.0.0.2\r\n") << 421;
        QTest::addRow("localhost.attacker")
            << QByteArray("Host: localhost.attacker.example\r\n") << 421;
        QTest::addRow("no host") << QByteArray() << 400;
        QTest::addRow("two hosts") << QByteArray("Host: localhost\r\nHost: localhost\r\n") << 400;
        QTest::addRow("localhost") << QByteArray("Host: localhost\r\n") << 200;
        QTest::addRow("localhost port") << QByteArray("Host: LocalHost.:9464\r\n") << 200;
        QTest::addRow("bound address") << QByteArray("Host: 127.0.0.1:9464\r\n") << 200;
        QTest::addRow("configured name") << QByteArray("Host: dash.internal\r\n") << 200;
    }

    void hostMustNameThisServer()
    {
        QFETCH(QByteArray, headers);
        QFETCH(int, status);
        startSession();
        HttpApi::Options options;
        options.names = {u"dash.internal"_s};
        startApi(options);
        QCOMPARE(statusOf(get("/api/jobs", headers)), status);
    }

    void originIsRefusedUnlessAllowed()
    {
        startSession();
        HttpApi::Options options;
        options.origins = {u"http://dash.example:8080"_s};
        startApi(options);
        const QByteArray faultLine = R"({"type":"fault","spec":"offline"})"
                                     "\n";
        // What a page on evil.example can send without asking: refused, nothing applied.
        const Client evil = ask(post(faultLine, "Origin: http://evil.example\r\n", "text/plain"));
        QCOMPARE(evil.status(), 403);
        QCOMPARE(statusOf(post(faultLine, "Origin: http://evil.example\r\n")), 403);
        QCOMPARE(statusOf(post(faultLine, "Origin: null\r\n")), 403);
        QCOMPARE(statusOf(get("/api/jobs", "Host: localhost\r\nOrigin: http://evil.example\r\n")),
                 403);
        QCOMPARE(m_session->tracker()->counters().events, 0u);
        QCOMPARE(statusOf(get("/healthz", "Host: localhost\r\n")), 200);
        // The allowed origin may read, and is told so; OPTIONS never grants a preflight.
        const Client dash =
            ask(get("/healthz", "Host: localhost\r\nOrigin: http://DASH.example:8080\r\n"));
        QCOMPARE(dash.status(), 200);
        QVERIFY(dash.received.contains("Access-Control-Allow-Origin: http://DASH.example:8080"));
        const Client preflight = ask("OPTIONS /events HTTP/1.1\r\nHost: localhost\r\nOrigin: "
                                     "http://dash.example:8080\r\n\r\n");
        QCOMPARE(preflight.status(), 405);
        QVERIFY(!preflight.received.contains("Access-Control-Allow-Methods"));
        QVERIFY(!preflight.received.contains("Access-Control-Allow-Headers"));
    }

    void eventsNeedAnNdjsonType_data()
    {
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<int>("status");
        QTest::addRow("text/plain") << QByteArray("text/plain") << 415;
        QTest::addRow("form") << QByteArray("application/x-www-form-urlencoded") << 415;
        QTest::addRow("multipart") << QByteArray("multipart/form-data; boundary=x") << 415;
        QTest::addRow("ndjson") << QByteArray("application/x-ndjson") << 200;
        QTest::addRow("json charset") << QByteArray("Application/JSON; charset=utf-8") << 200;
    }

    void eventsNeedAnNdjsonType()
    {
        QFETCH(QByteArray, type);
        QFETCH(int, status);
        startSession();
        startApi();
        QCOMPARE(statusOf(post(eventLine(u"j1"_s, u"b1"_s), {}, type)), status);
        QCOMPARE(m_session->tracker()->counters().events, status == 200 ? 1u : 0u);
        const QByteArray untyped = "POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Length: "
                                   "3\r\n\r\n{}\n";
        QCOMPARE(statusOf(untyped), 415);
    }

    void memoryReturnsAfterAbusiveClients_data()
    {
        QTest::addColumn<QString>("token");
        QTest::addRow("no token, bad lines") << QString();
        QTest::addRow("token, unauthenticated") << u"s3cret"_s;
    }

    void memoryReturnsAfterAbusiveClients()
    {
        // 24 clients each start an ~8 MiB body and never finish it (before: 33 → 418 MiB,
        // never given back). Clients write only as the server reads, so their own buffers
        // stay small and what is measured is the server.
        QFETCH(QString, token);
        startSession();
        HttpApi::Options options;
        options.token = token;
        options.limits = quickLimits();
        startApi(options);
        QCOMPARE(statusOf(get("/healthz", "Host: localhost\r\nAuthorization: Bearer s3cret\r\n")),
                 200);
        const qint64 baseline = rssBytes();
        const qint64 bodyBytes = qint64(8) * 1024 * 1024 - 16;
        const QByteArray chunk = QByteArray(1023, 'x') + '\n'; // bad lines, never jobs
        const QByteArray block = chunk.repeated(64);
        struct Flood {
            Client client;
            qint64 sent = 0;
        };
        std::vector<std::unique_ptr<Flood>> floods;
        for (int i = 0; i < 24; ++i) {
            auto f = std::make_unique<Flood>();
            QVERIFY(f->client.connectTo(m_api->port()));
            f->client.socket->write("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                                    "application/x-ndjson\r\nContent-Length: " +
                                    QByteArray::number(bodyBytes + 1) + "\r\n\r\n");
            Flood *raw = f.get();
            const auto topUp = [raw, &block, bodyBytes] {
                while (raw->client.socket->bytesToWrite() < 2 * block.size() &&
                       raw->sent < bodyBytes &&
                       raw->client.socket->state() == QAbstractSocket::ConnectedState) {
                    const qint64 n = std::min<qint64>(block.size(), bodyBytes - raw->sent);
                    raw->client.socket->write(block.constData(), n);
                    raw->sent += n;
                }
            };
            connect(f->client.socket.get(), &QTcpSocket::bytesWritten, f->client.socket.get(),
                    topUp);
            topUp();
            floods.push_back(std::move(f));
        }
        qint64 peak = 0;
        QElapsedTimer clock;
        clock.start();
        const auto allDone = [&] {
            peak = std::max(peak, rssBytes());
            for (const auto &f : floods)
                if (!f->client.closed() && f->sent < bodyBytes)
                    return false;
            return true;
        };
        QVERIFY(QTest::qWaitFor(allDone, 60'000));
        for (auto &f : floods)
            f->client.socket->abort(); // and they leave
        QTRY_COMPARE_WITH_TIMEOUT(m_api->connectionCount(), 0, 10'000);
        QTest::qWait(500);
        const qint64 after = rssBytes();
        qInfo("RSS: baseline %lld MiB, peak %lld MiB, after %lld MiB (%lld ms)", baseline >> 20,
              peak >> 20, after >> 20, qint64(clock.elapsed()));
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
        // Sanitizers keep freed memory in quarantine: RSS says nothing about our buffers there.
        QVERIFY2(peak - baseline < 64 * 1024 * 1024, "memory grew with the abusive clients");
        QVERIFY2(after - baseline < 16 * 1024 * 1024, "memory was not given back");
#else
        Q_UNUSED(after)
#endif
        QCOMPARE(statusOf(get("/healthz", "Host: localhost\r\nAuthorization: Bearer s3cret\r\n")),
                 200);
    }

    void bigPostKeepsHealthzResponsive()
    {
        // ~7 MiB of new job ids in one POST: applied a slice at a time, so /healthz (and
        // every other client) is answered in between.
        startSession();
        startApi();
        QByteArray body;
        const int jobs = 100'000;
        for (int i = 0; i < jobs; ++i)
            body += eventLine(u"job-%1-padding-to-make-it-long"_s.arg(i), u"b%1"_s.arg(i % 7));
        QVERIFY(body.size() > 6 * 1024 * 1024);
        Client poster;
        QVERIFY(poster.connectTo(m_api->port()));
        poster.socket->write(post(body));
        Client health;
        QVERIFY(health.connectTo(m_api->port()));
        qint64 worst = 0;
        int answered = 0;
        while (poster.status() == 0 && !poster.closed() && answered < 2000) {
            health.received.clear();
            QElapsedTimer clock;
            clock.start();
            health.socket->write(get("/healthz", "Host: localhost\r\n"));
            QVERIFY(QTest::qWaitFor([&] { return health.status() != 0; }, 10'000));
            worst = std::max(worst, qint64(clock.elapsed()));
            ++answered;
        }
        QTRY_COMPARE_WITH_TIMEOUT(poster.status(), 200, 60'000);
        QCOMPARE(poster.json()[u"accepted"_s].toInt(), jobs);
        qInfo("/healthz answered %d times during the POST; slowest %lld ms", answered, worst);
        QVERIFY(answered >= 3);
        QVERIFY2(worst < 500, qPrintable(u"/healthz took %1 ms"_s.arg(worst)));
    }

    void expectContinueAndKeepAlive()
    {
        // curl sends `Expect: 100-continue` for bodies over 1 MiB and keeps the connection.
        startSession();
        startApi();
        Client c;
        QVERIFY(c.connectTo(m_api->port()));
        const QByteArray body = eventLine(u"j1"_s, u"b1"_s) + eventLine(u"j2"_s, u"b2"_s);
        c.socket->write("POST /events HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
                        "application/x-ndjson\r\nExpect: 100-continue\r\nContent-Length: " +
                        QByteArray::number(body.size()) + "\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(c.received.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), 5'000);
        c.received.clear();
        c.socket->write(body);
        QTRY_COMPARE_WITH_TIMEOUT(c.status(), 200, 5'000);
        QVERIFY(c.received.contains("\"accepted\":2"));
        c.received.clear();
        c.socket->write(get("/healthz", "Host: localhost\r\n"));
        QTRY_COMPARE_WITH_TIMEOUT(c.status(), 200, 5'000);
        QVERIFY(!c.closed());
        QCOMPARE(m_api->connectionCount(), 1);
    }

    void longLinesAreBadLinesNotBuffers()
    {
        startSession();
        startApi();
        const QByteArray body = QByteArray(200 * 1024, 'a') + '\n' + eventLine(u"j1"_s, u"b1"_s);
        const Client c = ask(post(body));
        QCOMPARE(c.status(), 200);
        QCOMPARE(c.json()[u"accepted"_s].toInt(), 1);
        QCOMPARE(c.json()[u"rejected"_s].toInt(), 1);
        QCOMPARE(c.json()[u"errors"_s].toArray().at(0)[u"line"_s].toInt(), 1);
        QVERIFY(c.json()[u"errors"_s].toArray().at(0)[u"error"_s].toString().contains(u"passes"_s));
    }

    void metricsSeriesAreBounded()
    {
        // --max-backends above the series cap: /metrics still lists only the busiest.
        startSession(Metrics::maxBackendSeries + 1'000);
        startApi();
        QByteArray body;
        const int backends = Metrics::maxBackendSeries + 300;
        for (int i = 0; i < backends; ++i)
            body += eventLine(u"j%1"_s.arg(i), u"b%1"_s.arg(i));
        body += eventLine(u"extra"_s, u"b7"_s); // b7 has two jobs: the busiest, listed
        QCOMPARE(ask(post(body)).status(), 200);
        m_session->tracker()->flush();
        QTRY_COMPARE_WITH_TIMEOUT(m_session->tracker()->writesInFlight(), 0, 30'000);
        Client c = ask(get("/metrics", "Host: localhost\r\n"));
        QTRY_VERIFY_WITH_TIMEOUT(c.received.contains("stickyboard_backend_jobs_unlisted"), 10'000);
        const QByteArray text = c.received;
        QCOMPARE(text.count("\nstickyboard_backend_jobs{"), qsizetype(Metrics::maxBackendSeries));
        QVERIFY(text.contains("\nstickyboard_backends_unlisted 300\n"));
        QVERIFY(text.contains("\nstickyboard_backend_jobs_unlisted 300\n"));
        QVERIFY(text.contains("\nstickyboard_backend_jobs{backend=\"b7\"} 2\n"));
    }

    void socketlessConnectionRunsTheSameChain()
    {
        // What the fuzzer drives: bytes in, bytes out, no socket; one byte at a time, and
        // two requests pipelined.
        startSession();
        HttpApi api(m_session.get());
        HttpApi::Options options;
        options.listen = *ListenAddress::parse(u"127.0.0.1:0"_s, nullptr);
        options.token = u"s3cret"_s;
        QString error;
        QVERIFY2(api.configure(options, &error), qPrintable(error));
        QByteArray out;
        bool closed = false;
        HttpConnection *c = api.newConnection(this);
        c->write = [&](const QByteArray &bytes) { out += bytes; };
        c->close = [&] { closed = true; };
        const QByteArray raw =
            post(eventLine(u"j1"_s, u"b1"_s), "Authorization: Bearer s3cret\r\n") +
            get("/healthz", "Host: localhost\r\n");
        for (const char byte : raw)
            c->receive(QByteArrayView(&byte, 1));
        QTRY_COMPARE_WITH_TIMEOUT(out.count("HTTP/1.1 "), qsizetype(2), 5'000);
        QVERIFY2(out.startsWith("HTTP/1.1 200 "), out.constData());
        QVERIFY2(out.contains("\"accepted\":1"), out.constData());
        QVERIFY2(out.contains("HTTP/1.1 401 "), out.constData()); // the second had no token
        QVERIFY(!closed);
        c->receiveEnd();
        QVERIFY(closed);
        delete c;
    }

    void unreadAnswersHoldBackTheNextRequest()
    {
        // A client that pipelines requests and never reads: once its unread answers pass the
        // limit, nothing more is read or answered until it reads.
        startSession();
        HttpApi api(m_session.get());
        HttpApi::Options options;
        options.listen = *ListenAddress::parse(u"127.0.0.1:0"_s, nullptr);
        QString error;
        QVERIFY2(api.configure(options, &error), qPrintable(error));
        QByteArray out;
        qint64 unread = 0;
        std::unique_ptr<HttpConnection> c(api.newConnection(nullptr));
        c->write = [&](const QByteArray &bytes) {
            out += bytes;
            unread += bytes.size() + options.limits.maxPendingOutputBytes;
        };
        c->pendingOutput = [&] { return unread; };
        const QByteArray one = get("/metrics", "Host: localhost\r\n");
        c->receive(one + one + one);
        QCOMPARE(out.count("HTTP/1.1 200 "), qsizetype(1));
        QCOMPARE(c->inputRoom(), 0);
        unread = 0; // the client read it all
        c->outputProgress();
        QCOMPARE(out.count("HTTP/1.1 200 "), qsizetype(2));
        unread = 0;
        c->outputProgress();
        QCOMPARE(out.count("HTTP/1.1 200 "), qsizetype(3));
    }
};

QTEST_GUILESS_MAIN(tst_HttpLimits)
#include "tst_httplimits.moc"
