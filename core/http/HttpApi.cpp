#include "http/HttpApi.h"

#include "http/EventBatch.h"
#include "http/GuardedTcpServer.h"
#include "http/Metrics.h"
#include "report/Report.h"
#include "session/Session.h"
#include "util/Logging.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMetaEnum>
#include <QTcpSocket>

namespace {

using Method = QHttpServerRequest::Method;
using Status = QHttpServerResponder::StatusCode;

constexpr qint64 headAllowance = qint64(64) * 1024; ///< request line and headers, beyond the body
const QByteArray jsonType = QByteArrayLiteral("application/json");

QByteArray json(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

QByteArray errorBody(const QString &message)
{
    return json({{QStringLiteral("error"), message}});
}

/// "GET /metrics", for the log: never the headers, which may carry the token.
QString describe(const QHttpServerRequest &request)
{
    const char *method = QMetaEnum::fromType<Method>().valueToKey(int(request.method()));
    return QString::fromLatin1(method ? method : "?").toUpper() + u' ' + request.url().path();
}

void send(QHttpServerResponder &responder, const QString &what, Status status,
          const QByteArray &body, const QByteArray &type = jsonType)
{
    qCDebug(lcHttp).noquote() << what << "->" << int(status);
    responder.write(body, type, status);
}

/// Takes as long for every guess of the same length: timing tells nothing about the token.
bool constantTimeEquals(QByteArrayView given, QByteArrayView expected)
{
    unsigned diff = given.size() == expected.size() ? 0u : 1u;
    for (qsizetype i = 0; i < expected.size(); ++i)
        diff |= uchar(expected[i]) ^ uchar(i < given.size() ? given[i] : 0);
    return diff == 0;
}

} // namespace

HttpApi::HttpApi(Session *session, QObject *parent) : QObject(parent), m_session(session)
{
    // Every path takes every method, so that authentication comes before routing (no path
    // is revealed without the token) and a wrong method gets 405, not 404.
    const auto route = [this](const char *path, Route which) {
        m_server.route(QString::fromLatin1(path), [this, which](const QHttpServerRequest &request,
                                                                QHttpServerResponder &&responder) {
            handle(which, request, std::move(responder));
        });
    };
    route("/metrics", Route::Metrics);
    route("/api/jobs", Route::Jobs);
    route("/healthz", Route::Health);
    route("/events", Route::Events);
    m_server.setMissingHandler(
        [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
            handle(Route::Unknown, request, std::move(responder));
        });
}

HttpApi::~HttpApi() = default;

bool HttpApi::start(const Options &options, QString *error)
{
    const auto fail = [error](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    const QString where = options.listen.toString();
    if (m_tcp)
        return fail(QStringLiteral("the HTTP API already listens on %1").arg(url()));
    if (!options.listen.isLoopback() && options.token.isEmpty())
        return fail(QStringLiteral("--listen %1 is not a loopback address: pass --listen-token T "
                                   "so requests must carry Authorization: Bearer T")
                        .arg(where));
    auto tcp = std::make_unique<GuardedTcpServer>(options.maxBodyBytes + headAllowance);
    if (!tcp->listen(options.listen.address, options.listen.port)) {
        const QString why = tcp->serverError() == QAbstractSocket::AddressInUseError
                                ? QStringLiteral("address in use")
                                : tcp->errorString();
        return fail(QStringLiteral("cannot listen on %1: %2").arg(where, why));
    }
    m_options = options;
    m_tcp = tcp.release();
    m_server.bind(m_tcp); // takes ownership
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

bool HttpApi::authorized(const QHttpServerRequest &request) const
{
    if (m_options.token.isEmpty())
        return true;
    const QByteArray header = request.value("Authorization").trimmed();
    const qsizetype space = header.indexOf(' ');
    if (space < 0 || header.first(space).compare("Bearer", Qt::CaseInsensitive) != 0)
        return false;
    return constantTimeEquals(header.sliced(space + 1).trimmed(), m_options.token.toUtf8());
}

void HttpApi::handle(Route route, const QHttpServerRequest &request,
                     QHttpServerResponder &&responder)
{
    const QString what = describe(request);
    if (!authorized(request)) {
        qCInfo(lcHttp).noquote() << what << "from" << request.remoteAddress().toString()
                                 << "-> 401 (missing or wrong bearer token)";
        responder.write(errorBody(QStringLiteral("this server needs Authorization: Bearer TOKEN "
                                                 "(the --listen-token)")),
                        {{"Content-Type", jsonType}, {"WWW-Authenticate", "Bearer"}},
                        Status::Unauthorized);
        return;
    }
    if (!m_session) {
        send(responder, what, Status::ServiceUnavailable,
             errorBody(QStringLiteral("the session has ended")));
        return;
    }
    if (route == Route::Unknown) {
        send(responder, what, Status::NotFound,
             errorBody(QStringLiteral("no such path: %1 (there are GET /metrics, GET /api/jobs, "
                                      "GET /healthz and POST /events)")
                           .arg(request.url().path())));
        return;
    }
    const Method allowed = route == Route::Events ? Method::Post : Method::Get;
    if (request.method() != allowed) {
        const QByteArray allow = allowed == Method::Post ? "POST" : "GET";
        qCDebug(lcHttp).noquote() << what << "-> 405";
        responder.write(errorBody(QStringLiteral("%1 takes %2 only")
                                      .arg(request.url().path(), QString::fromLatin1(allow))),
                        {{"Content-Type", jsonType}, {"Allow", allow}}, Status::MethodNotAllowed);
        return;
    }
    switch (route) {
    case Route::Metrics:
        send(responder, what, Status::Ok, Metrics::render(*m_session), Metrics::contentType);
        return;
    case Route::Jobs:
        serveJobs(std::move(responder));
        return;
    case Route::Health:
        serveHealth(responder);
        return;
    case Route::Events:
        serveEvents(request, responder);
        return;
    case Route::Unknown:
        return;
    }
}

void HttpApi::serveJobs(QHttpServerResponder &&responder)
{
    // Qt 6.4 lets a handler keep its responder and answer later, so nothing here blocks the
    // event loop on the database: the report reads it on the store's thread, and the JSON
    // (about a second for 100k jobs) is written on the thread pool. The client may hang up
    // meanwhile, and its socket (with the request) goes with it: the QPointer tells.
    QPointer<QTcpSocket> socket = responder.socket();
    m_session->collectReport()
        .then(QtFuture::Launch::Async,
              [](const Report &report) { return report.toJson(Report::Format::Compact); })
        .then(this,
              [socket, responder = std::move(responder)](const QFuture<QByteArray> &done) mutable {
                  if (!socket || socket->state() != QAbstractSocket::ConnectedState)
                      return;
                  const QString what = QStringLiteral("GET /api/jobs");
                  try {
                      send(responder, what, Status::Ok, done.result());
                  } catch (const QException &e) {
                      send(responder, what, Status::ServiceUnavailable,
                           errorBody(QStringLiteral("cannot read the jobs: %1")
                                         .arg(QString::fromUtf8(e.what()))));
                  }
              });
}

void HttpApi::serveHealth(QHttpServerResponder &responder)
{
    const QString problem = m_session->healthProblem();
    QJsonObject body{{QStringLiteral("status"),
                      problem.isEmpty() ? QStringLiteral("ok") : QStringLiteral("degraded")},
                     {QStringLiteral("mode"), m_session->modeName()}};
    if (!problem.isEmpty())
        body.insert(QStringLiteral("reason"), problem);
    send(responder, QStringLiteral("GET /healthz"),
         problem.isEmpty() ? Status::Ok : Status::ServiceUnavailable, json(body));
}

void HttpApi::serveEvents(const QHttpServerRequest &request, QHttpServerResponder &responder)
{
    const QString what = QStringLiteral("POST /events");
    if (m_session->mode() == Session::Mode::Watch) {
        send(responder, what, Status::Conflict,
             errorBody(QStringLiteral("watch mode is read-only: it shows an existing jobs table "
                                      "and never changes it, so POST /events is refused (run "
                                      "without --watch to ingest events)")));
        return;
    }
    if (m_session->stopping()) {
        send(responder, what, Status::ServiceUnavailable,
             errorBody(QStringLiteral("shutting down: no more events are accepted")));
        return;
    }
    const QByteArray body = request.body();
    const qint64 declared = request.value("Content-Length").toLongLong();
    if (std::max(declared, qint64(body.size())) > m_options.maxBodyBytes) {
        send(responder, what, Status::PayloadTooLarge,
             errorBody(QStringLiteral("the body is %1 bytes; at most %2 are accepted per request")
                           .arg(std::max(declared, qint64(body.size())))
                           .arg(m_options.maxBodyBytes)));
        return;
    }
    const EventBatch batch =
        EventBatch::apply(body, [this](const QByteArray &line, QString *error) {
            return m_session->ingest(line, error);
        });
    if (batch.rejected > 0)
        qCInfo(lcHttp) << what << "rejected" << batch.rejected << "of"
                       << batch.accepted + batch.rejected << "lines";
    // Nothing usable at all is the client's mistake; a partly bad batch still did its work.
    const bool allBad = batch.accepted == 0 && batch.rejected > 0;
    send(responder, what, allBad ? Status::BadRequest : Status::Ok, json(batch.toJsonObject()));
}
