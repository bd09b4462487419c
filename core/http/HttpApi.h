#pragma once

#include "http/ListenAddress.h"

#include <QHttpServer>
#include <QObject>
#include <QPointer>

class GuardedTcpServer;
class Session;

/*!
 * The HTTP side of operator mode (`--listen`), over Qt 6.4's QHttpServer:
 *
 * - `GET /metrics`: Prometheus text format (Metrics::render).
 * - `GET /api/jobs`: the `--report` JSON of this moment (design.md, "Report"), compact;
 *   `db` is read from the database, so a job whose write is in flight may show `db` behind
 *   `current`.
 * - `GET /healthz`: 200 `{"status":"ok","mode":…}`, or 503 `{"status":"degraded",
 *   "reason":…}` while Session::healthProblem() says what does not work.
 * - `POST /events`: JSONL event lines (design.md), one Session::ingest() each; 200
 *   `{"accepted":N,"rejected":M,"errors":[{"line":L,"error":…}]}` (errors: the first 100;
 *   lines count from 1, blank ones included), 400 when no line was accepted but some were
 *   rejected (an empty body is 200 with nothing done), 409 in watch mode (read-only), 413
 *   over Options::maxBodyBytes.
 *
 * With a token, every request needs `Authorization: Bearer TOKEN` (else 401); a
 * non-loopback address requires one. Errors are JSON `{"error":…}`; unknown paths 404,
 * wrong methods 405.
 */
class HttpApi : public QObject {
    Q_OBJECT
public:
    struct Options {
        ListenAddress listen;
        QString token; ///< empty: no authentication (loopback only)
        qint64 maxBodyBytes = qint64(8) * 1024 * 1024;
    };

    explicit HttpApi(Session *session, QObject *parent = nullptr);
    ~HttpApi() override;

    /// Binds and serves; false with `error` (naming the address) when refused or unbindable.
    bool start(const Options &options, QString *error);
    /// The bound port (the real one when Options::listen.port was 0); 0 before start().
    quint16 port() const;
    /// `http://HOST:PORT` as bound.
    QString url() const;

private:
    enum class Route { Metrics, Jobs, Health, Events, Unknown };

    void handle(Route route, const QHttpServerRequest &request, QHttpServerResponder &&responder);
    bool authorized(const QHttpServerRequest &request) const;
    void serveJobs(QHttpServerResponder &&responder);
    void serveHealth(QHttpServerResponder &responder);
    void serveEvents(const QHttpServerRequest &request, QHttpServerResponder &responder);

    QPointer<Session> m_session;
    Options m_options;
    QHttpServer m_server;
    GuardedTcpServer *m_tcp = nullptr; ///< owned by m_server once bound
};
