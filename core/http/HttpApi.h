#pragma once

#include "http/HttpLimits.h"
#include "http/ListenAddress.h"
#include "http/RequestGate.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

class GuardedTcpServer;
class HttpConnection;
class Session;

/*!
 * The HTTP side of operator mode (`--listen`), served by GuardedTcpServer/HttpConnection:
 *
 * - `GET /metrics`: Prometheus text format (Metrics::render).
 * - `GET /api/jobs`: the `--report` JSON of this moment (design.md, "Report"), compact;
 *   `db` is read from the database, so a job whose write is in flight may show `db` behind
 *   `current`.
 * - `GET /healthz`: 200 `{"status":"ok","mode":…}`, or 503 `{"status":"degraded",
 *   "reason":…}` while Session::healthProblem() says what does not work.
 * - `POST /events`: JSONL event lines (design.md), `Content-Type: application/x-ndjson` or
 *   `application/json` (else 415), applied as they stream in, one Session::ingest() each; 200
 *   `{"accepted":N,"rejected":M,"errors":[{"line":L,"error":…}]}` (errors: the first 100;
 *   lines count from 1, blank ones included), 400 when no line was accepted but some were
 *   rejected (an empty body is 200 with nothing done), 413 over Options::maxBodyBytes. A
 *   request cut short keeps the lines applied before the cut. In watch mode event lines are
 *   observations (ObservationIntake) and a fault or backend line makes the answer 409.
 * - `POST /ingest/litellm` (watch mode; 409 otherwise): LiteLLM's StandardLoggingPayload
 *   objects as a JSON array, NDJSON or one object, as observations; 200
 *   `{"accepted","failed","rejected","errors":[{"payload","error"}]}`.
 *
 * Before routing, RequestGate checks Host (421), Origin (403) and the token (401); a
 * non-loopback address requires a token. Errors are JSON `{"error":…}`; unknown paths 404,
 * wrong methods 405 (OPTIONS too: no CORS preflight is ever allowed).
 */
class HttpApi : public QObject {
    Q_OBJECT
public:
    struct Options {
        ListenAddress listen;
        QString token;       ///< empty: no authentication (loopback only)
        QStringList names;   ///< --listen-name: Host names besides the address and localhost
        QStringList origins; ///< --listen-origin: browser origins allowed (normalized)
        qint64 maxBodyBytes = qint64(8) * 1024 * 1024;
        HttpLimits limits; ///< its maxBodyBytes is taken from the field above
    };

    explicit HttpApi(Session *session, QObject *parent = nullptr);
    ~HttpApi() override;

    /// Takes `options` without binding (what start() does first); false with `error`.
    bool configure(const Options &options, QString *error);
    /// Binds and serves; false with `error` (naming the address) when refused or unbindable.
    bool start(const Options &options, QString *error);
    /// The bound port (the real one when Options::listen.port was 0); 0 before start().
    quint16 port() const;
    /// `http://HOST:PORT` as bound.
    QString url() const;
    /// Connections open now.
    int connectionCount() const;

    /// A connection with no socket through the whole handler chain, for the fuzzer and
    /// tests: feed it bytes with HttpConnection::receive() and set its `write`.
    HttpConnection *newConnection(QObject *parent);

private:
    enum class Route { Metrics, Jobs, Health, Events, LiteLlm, Unknown };

    void handle(HttpConnection *connection);
    void serveJobs(HttpConnection *connection, const QByteArray &cors);
    void serveEvents(HttpConnection *connection, const QByteArray &cors);
    void serveLiteLlm(HttpConnection *connection, const QByteArray &cors);
    /// The checks every POST shares (type, size, shutting down); false once answered.
    bool acceptPost(HttpConnection *connection, const QString &what, const QByteArray &cors);

    QPointer<Session> m_session;
    Options m_options;
    RequestGate m_gate;
    bool m_configured = false;
    std::unique_ptr<GuardedTcpServer> m_tcp;
};
