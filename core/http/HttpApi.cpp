#include "http/HttpApi.h"

#include "http/EventBatch.h"
#include "http/GuardedTcpServer.h"
#include "http/HttpConnection.h"
#include "http/Metrics.h"
#include "observe/ObservationIntake.h"
#include "report/Report.h"
#include "session/Session.h"
#include "util/Escape.h"
#include "util/Logging.h"

#include <QFuture>
#include <QJsonObject>

namespace {

/// "GET /metrics", for the log: never the headers, which may carry the token; the client's
/// bytes with control characters escaped, so a request line cannot forge log lines.
QString describe(const HttpRequestHead &request)
{
    return Escape::bytes(request.method.left(16) + ' ' + request.path.left(200));
}

/// An allowed page may read the answer; nothing else is granted (no preflight, no headers).
HttpResponse withCors(HttpResponse response, const QByteArray &origin)
{
    if (!origin.isEmpty()) {
        response.headers.append({QByteArrayLiteral("Access-Control-Allow-Origin"), origin});
        response.headers.append({QByteArrayLiteral("Vary"), QByteArrayLiteral("Origin")});
    }
    return response;
}

void send(HttpConnection *connection, const QString &what, const HttpResponse &response)
{
    qCDebug(lcHttp).noquote() << what << "->" << response.status;
    connection->reply(response);
}

bool isEventsType(const QByteArray &contentType)
{
    const QByteArray media = contentType.split(';').value(0).trimmed().toLower();
    return media == "application/x-ndjson" || media == "application/json";
}

} // namespace

HttpApi::HttpApi(Session *session, QObject *parent) : QObject(parent), m_session(session) {}

HttpApi::~HttpApi() = default;

bool HttpApi::configure(const Options &options, QString *error)
{
    if (!options.listen.isLoopback() && options.token.isEmpty()) {
        if (error)
            *error = QStringLiteral("--listen %1 is not a loopback address: pass "
                                    "--listen-token-file PATH so requests must carry "
                                    "Authorization: Bearer TOKEN")
                         .arg(options.listen.toString());
        return false;
    }
    m_options = options;
    m_options.limits.maxBodyBytes = options.maxBodyBytes;
    m_gate = RequestGate({options.listen, options.names, options.origins, options.token});
    m_configured = true;
    return true;
}

bool HttpApi::start(const Options &options, QString *error)
{
    const QString where = options.listen.toString();
    if (m_tcp) {
        if (error)
            *error = QStringLiteral("the HTTP API already listens on %1").arg(url());
        return false;
    }
    if (!configure(options, error))
        return false;
    auto tcp = std::make_unique<GuardedTcpServer>(
        m_options.limits, [this](HttpConnection *connection) { handle(connection); });
    tcp->setListenBacklogSize(m_options.limits.maxConnections); // a burst waits, not refused
    if (!tcp->listen(options.listen.address, options.listen.port)) {
        const QString why = tcp->serverError() == QAbstractSocket::AddressInUseError
                                ? QStringLiteral("address in use")
                                : tcp->errorString();
        if (error)
            *error = QStringLiteral("cannot listen on %1: %2").arg(where, why);
        return false;
    }
    m_tcp = std::move(tcp);
    qCInfo(lcHttp).noquote() << "HTTP API on" << url()
                             << (options.token.isEmpty() ? "(no token)"
                                                         : "(bearer token required)");
    return true;
}

quint16 HttpApi::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}

QString HttpApi::url() const
{
    ListenAddress bound = m_options.listen;
    bound.port = port();
    return QStringLiteral("http://") + bound.toString();
}

int HttpApi::connectionCount() const
{
    return m_tcp ? m_tcp->connectionCount() : 0;
}

HttpConnection *HttpApi::newConnection(QObject *parent)
{
    return new HttpConnection(
        m_options.limits, [this](HttpConnection *connection) { handle(connection); }, parent);
}

void HttpApi::handle(HttpConnection *connection)
{
    const HttpRequestHead &request = connection->request();
    const QString what = describe(request);
    if (std::optional<HttpResponse> refusal = m_gate.check(request)) {
        qCInfo(lcHttp).noquote() << what << "from" << connection->peer << "->" << refusal->status;
        connection->reply(*refusal);
        return;
    }
    const QByteArray cors = request.value("origin"); // allowed, or the gate refused it
    if (!m_session) {
        send(connection, what,
             withCors(HttpResponse::error(503, QStringLiteral("the session has ended")), cors));
        return;
    }
    const QByteArray &path = request.path;
    const Route route = path == "/metrics"          ? Route::Metrics
                        : path == "/api/jobs"       ? Route::Jobs
                        : path == "/healthz"        ? Route::Health
                        : path == "/events"         ? Route::Events
                        : path == "/ingest/litellm" ? Route::LiteLlm
                                                    : Route::Unknown;
    if (route == Route::Unknown) {
        send(connection, what,
             withCors(HttpResponse::error(
                          404, QStringLiteral("no such path: %1 (there are GET /metrics, GET "
                                              "/api/jobs, GET /healthz, POST /events and POST "
                                              "/ingest/litellm)")
                                   .arg(QString::fromLatin1(path.left(200)))),
                      cors));
        return;
    }
    const QByteArray allowed = route == Route::Events || route == Route::LiteLlm ? "POST" : "GET";
    if (request.method != allowed) {
        HttpResponse r = HttpResponse::error(
            405, QStringLiteral("%1 takes %2 only")
                     .arg(QString::fromLatin1(path), QString::fromLatin1(allowed)));
        r.headers.append({QByteArrayLiteral("Allow"), allowed});
        send(connection, what, withCors(r, cors));
        return;
    }
    switch (route) {
    case Route::Metrics: {
        HttpResponse r;
        r.contentType = Metrics::contentType;
        r.body = Metrics::render(*m_session);
        send(connection, what, withCors(r, cors));
        return;
    }
    case Route::Health: {
        const QString problem = m_session->healthProblem();
        QJsonObject body{{QStringLiteral("status"),
                          problem.isEmpty() ? QStringLiteral("ok") : QStringLiteral("degraded")},
                         {QStringLiteral("mode"), m_session->modeName()}};
        if (!problem.isEmpty())
            body.insert(QStringLiteral("reason"), problem);
        send(connection, what,
             withCors(HttpResponse::json(problem.isEmpty() ? 200 : 503, body), cors));
        return;
    }
    case Route::Jobs:
        serveJobs(connection, cors);
        return;
    case Route::Events:
        serveEvents(connection, cors);
        return;
    case Route::LiteLlm:
        serveLiteLlm(connection, cors);
        return;
    case Route::Unknown:
        return;
    }
}

void HttpApi::serveJobs(HttpConnection *connection, const QByteArray &cors)
{
    // The connection waits for its answer: the report reads the database on the store's
    // thread and the JSON (about a second for 100k jobs) is written on the thread pool. The
    // client may hang up meanwhile, and its connection goes with it: the QPointer tells.
    QPointer<HttpConnection> target = connection;
    m_session->collectReport()
        .then(QtFuture::Launch::Async,
              [](const Report &report) { return report.toJson(Report::Format::Compact); })
        .then(this, [target, cors](const QFuture<QByteArray> &done) {
            if (!target || target->isClosed())
                return;
            const QString what = QStringLiteral("GET /api/jobs");
            try {
                HttpResponse r;
                r.body = done.result();
                send(target, what, withCors(r, cors));
            } catch (const QException &e) {
                send(target, what,
                     withCors(HttpResponse::error(503, QStringLiteral("cannot read the jobs: %1")
                                                           .arg(QString::fromUtf8(e.what()))),
                              cors));
            }
        });
}

bool HttpApi::acceptPost(HttpConnection *connection, const QString &what, const QByteArray &cors)
{
    const auto refuse = [&](int status, const QString &message) {
        send(connection, what, withCors(HttpResponse::error(status, message), cors));
        return false;
    };
    // A page can send text/plain cross-origin without asking; these types need a preflight,
    // which this server never grants.
    if (!isEventsType(connection->request().value("content-type")))
        return refuse(415, QStringLiteral("%1 takes Content-Type: application/x-ndjson (or "
                                          "application/json)")
                               .arg(what));
    const qint64 limit = m_options.limits.maxBodyBytes;
    if (connection->bodyLength() > limit)
        return refuse(413, QStringLiteral("the body is %1 bytes; at most %2 are accepted per "
                                          "request")
                               .arg(connection->bodyLength())
                               .arg(limit));
    // Shutting down: the report is about to be read, so nothing may change what it reads.
    if (m_session->stopping())
        return refuse(503, QStringLiteral("shutting down: no more events are accepted"));
    return true;
}

void HttpApi::serveEvents(HttpConnection *connection, const QByteArray &cors)
{
    const QString what = QStringLiteral("POST /events");
    if (!acceptPost(connection, what, cors))
        return;
    auto batch = std::make_shared<EventBatch>();
    auto conflict = std::make_shared<bool>(false);
    const qint64 maxLine = m_options.limits.maxLineBytes;
    const bool watch = m_session->mode() == Session::Mode::Watch;
    connection->readLines(
        [this, batch, maxLine, watch, conflict](QByteArrayView line, qint64 number, bool tooLong) {
            if (tooLong)
                return batch->reject(number,
                                     QStringLiteral("the line passes %1 bytes").arg(maxLine));
            if (!m_session)
                return batch->reject(number, QStringLiteral("the session has ended"));
            batch->add(line, number, [this, watch, conflict](const QByteArray &l, QString *error) {
                // Watch mode: event lines are observations of the gateway, never writes.
                if (watch && m_session->observations())
                    return m_session->observations()->takeEventLine(l, error, conflict.get());
                return m_session->ingest(l, error);
            });
        },
        [batch, cors, what, conflict] {
            if (batch->rejected > 0)
                qCInfo(lcHttp) << what << "rejected" << batch->rejected << "of"
                               << batch->accepted + batch->rejected << "lines";
            // Nothing usable at all is the client's mistake; a partly bad batch did its work.
            const bool allBad = batch->accepted == 0 && batch->rejected > 0;
            const int status = *conflict ? 409 : allBad ? 400 : 200;
            return withCors(HttpResponse::json(status, batch->toJsonObject()), cors);
        });
}

void HttpApi::serveLiteLlm(HttpConnection *connection, const QByteArray &cors)
{
    const QString what = QStringLiteral("POST /ingest/litellm");
    if (!m_session->observations()) {
        send(connection, what,
             withCors(HttpResponse::error(
                          409, QStringLiteral("POST /ingest/litellm takes observations of a "
                                              "gateway, which only watch mode (--watch) uses")),
                      cors));
        return;
    }
    if (!acceptPost(connection, what, cors))
        return;
    // LiteLLM's default log_format is one JSON array on one line: the body is held whole
    // (bounded by the body limit) and parsed once it is in.
    auto body = std::make_shared<QByteArray>();
    body->reserve(qsizetype(connection->bodyLength()));
    connection->readLines(
        [body](QByteArrayView line, qint64, bool) {
            body->append(line.data(), line.size());
            body->append('\n');
        },
        [this, body, cors, what] {
            if (!m_session || !m_session->observations() || m_session->stopping())
                return withCors(HttpResponse::error(503, QStringLiteral("shutting down: no "
                                                                        "more events are "
                                                                        "accepted")),
                                cors);
            const ObservationIntake::Batch batch = m_session->observations()->takeLiteLlm(*body);
            if (batch.rejected > 0 || !batch.bodyError.isEmpty())
                qCInfo(lcHttp) << what << "rejected" << batch.rejected << "payloads"
                               << Escape::text(batch.bodyError);
            const bool bad = !batch.bodyError.isEmpty() ||
                             (batch.accepted == 0 && batch.failed == 0 && batch.rejected > 0);
            return withCors(HttpResponse::json(bad ? 400 : 200, batch.toJsonObject()), cors);
        },
        m_options.limits.maxBodyBytes);
}
