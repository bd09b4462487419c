#pragma once

// Shared by the end-to-end shutdown tests: a stickyboard process the test can talk to
// (HTTP, signals) while it runs, and loopback servers that misbehave on purpose.

#include <QElapsedTimer>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <memory>
#include <sys/types.h>

/// One running stickyboard. Stdin stays open (a `--replay -` then never ends by itself).
class RunningApp {
public:
    RunningApp(const QStringList &args, const QProcessEnvironment &env)
    {
        m_process.setProcessEnvironment(env);
        // STICKYBOARD_TEST_BIN: run the same checks against another build (e.g. the old one).
        m_process.start(
            qEnvironmentVariable("STICKYBOARD_TEST_BIN", QStringLiteral(STICKYBOARD_BIN)), args);
        m_clock.start();
    }
    /// Ends stdin, as a finished pipe would.
    void closeInput() { m_process.closeWriteChannel(); }
    /// Runs to the end within `ms` (stdin closed); exit code as waitForExit().
    static int runToEnd(const QStringList &args, const QProcessEnvironment &env, int ms,
                        QString *out, QString *err)
    {
        RunningApp app(args, env);
        app.closeInput();
        const int code = app.waitForExit(ms);
        *err = app.err();
        *out = QString::fromUtf8(app.process().readAllStandardOutput());
        return code;
    }
    ~RunningApp()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    /// Waits until stderr matches `pattern`; the first capture group, or empty on timeout.
    QString waitForStderr(const QRegularExpression &pattern, int ms)
    {
        QString found;
        (void)QTest::qWaitFor(
            [&] {
                collect();
                const QRegularExpressionMatch m = pattern.match(m_err);
                if (m.hasMatch())
                    found = m.captured(1).isEmpty() ? m.captured(0) : m.captured(1);
                return m.hasMatch() || m_process.state() == QProcess::NotRunning;
            },
            ms);
        return found;
    }
    /// Once the HTTP API serves (the session is ready): its base URL, e.g. http://127.0.0.1:4711.
    QString waitUntilServing(int ms = 60'000)
    {
        return waitForStderr(QRegularExpression(QStringLiteral("serving (http://[0-9.:]+)")), ms);
    }

    void signal(int sig) { ::kill(pid_t(m_process.processId()), sig); }
    bool running() { return m_process.state() != QProcess::NotRunning; }
    /// The exit code within `ms`, -1 when it is still running then, -2 when it crashed.
    int waitForExit(int ms)
    {
        (void)QTest::qWaitFor([&] { return m_process.state() == QProcess::NotRunning; }, ms);
        collect();
        if (m_process.state() != QProcess::NotRunning)
            return -1;
        return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -2;
    }
    qint64 elapsedMs() const { return m_clock.elapsed(); }
    QString err()
    {
        collect();
        return m_err;
    }
    QProcess &process() { return m_process; }

private:
    void collect() { m_err += QString::fromUtf8(m_process.readAllStandardError()); }

    QProcess m_process;
    QElapsedTimer m_clock;
    QString m_err;
};

namespace Http {

struct Reply {
    int status = 0; ///< 0: no answer (connection refused or closed)
    QByteArray body;
};

inline Reply send(QNetworkAccessManager &nam, const QString &url, const QByteArray &post = {},
                  bool isPost = false, int timeoutMs = 10'000)
{
    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/x-ndjson"));
    QPointer<QNetworkReply> reply = isPost ? nam.post(request, post) : nam.get(request);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    Reply out;
    if (!reply)
        return out;
    if (reply->isFinished()) {
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
    } else {
        reply->abort();
    }
    reply->deleteLater();
    return out;
}

/// A gauge or counter of GET /metrics without labels; -1 when it is not there.
inline double metric(QNetworkAccessManager &nam, const QString &base, const QString &name)
{
    const Reply r = send(nam, base + QStringLiteral("/metrics"));
    const QRegularExpression line(QStringLiteral("^%1 (\\S+)$").arg(name),
                                  QRegularExpression::MultilineOption);
    const QRegularExpressionMatch m = line.match(QString::fromUtf8(r.body));
    return m.hasMatch() ? m.captured(1).toDouble() : -1;
}

} // namespace Http

/// Accepts connections and never answers: a server that hangs before the first byte.
class BlackHole : public QTcpServer {
public:
    BlackHole() { listen(QHostAddress::LocalHost, 0); }

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *socket = new QTcpSocket(this);
        socket->setSocketDescriptor(fd);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    }
};

/// Forwards loopback connections to `target` until blackHole(): then it keeps them open
/// and drops every byte, as a server behind a dead network path would.
class TcpProxy : public QTcpServer {
public:
    TcpProxy(const QString &host, quint16 port) : m_host(host), m_port(port)
    {
        listen(QHostAddress::LocalHost, 0);
    }
    void blackHole() { m_blackHoled = true; }

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *client = new QTcpSocket(this);
        client->setSocketDescriptor(fd);
        auto *server = new QTcpSocket(this);
        server->connectToHost(m_host, m_port);
        const auto pipe = [this](QTcpSocket *from, QTcpSocket *to) {
            QObject::connect(from, &QTcpSocket::readyRead, from, [this, from, to] {
                const QByteArray data = from->readAll();
                if (!m_blackHoled && to->state() == QAbstractSocket::ConnectedState)
                    to->write(data);
                else if (!m_blackHoled)
                    m_early[to] += data;
            });
        };
        pipe(client, server);
        pipe(server, client);
        QObject::connect(server, &QTcpSocket::connected, server,
                         [this, server] { server->write(m_early.take(server)); });
        const auto closeBoth = [this, client, server] {
            if (m_blackHoled)
                return; // a dead path tells nobody
            client->disconnectFromHost();
            server->disconnectFromHost();
        };
        QObject::connect(client, &QTcpSocket::disconnected, this, closeBoth);
        QObject::connect(server, &QTcpSocket::disconnected, this, closeBoth);
    }

private:
    QString m_host;
    quint16 m_port;
    bool m_blackHoled = false;
    QHash<QTcpSocket *, QByteArray> m_early;
};
