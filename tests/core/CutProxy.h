#pragma once

// A TCP proxy on 127.0.0.1 in front of the test PostgreSQL that can cut a connection at the
// worst moment: right after forwarding COMMIT (the server commits, the client never hears
// it) or right before (nothing commits). Runs on the test thread's event loop.

#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>

class CutProxy : public QObject {
public:
    enum class Cut { Never, AfterCommit, BeforeCommit };

    CutProxy(QString host, int port) : m_host(std::move(host)), m_port(port)
    {
        connect(&m_server, &QTcpServer::newConnection, this, &CutProxy::accept);
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    int port() const { return m_server.serverPort(); }
    /// The next COMMIT that passes is cut as said; later ones pass again.
    void arm(Cut cut) { m_cut = cut; }
    int cuts() const { return m_cuts; }

private:
    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            auto *upstream = new QTcpSocket(client);
            auto pending = std::make_shared<QByteArray>();
            connect(upstream, &QTcpSocket::connected, client, [upstream, pending] {
                upstream->write(*pending);
                pending->clear();
            });
            connect(client, &QTcpSocket::readyRead, this, [this, client, upstream, pending] {
                const QByteArray data = client->readAll();
                // A simple-query message 'Q', length 11, "COMMIT\0": what the driver sends.
                const bool commit = data.contains(QByteArray("Q\0\0\0\x0b" "COMMIT\0", 12));
                if (commit && m_cut != Cut::Never) {
                    const Cut cut = std::exchange(m_cut, Cut::Never);
                    ++m_cuts;
                    if (cut == Cut::AfterCommit) {
                        upstream->write(data);
                        upstream->flush();
                        upstream->disconnectFromHost(); // after the bytes are out
                    } else {
                        upstream->abort();
                    }
                    client->abort();
                    client->deleteLater();
                    return;
                }
                if (upstream->state() == QAbstractSocket::ConnectedState)
                    upstream->write(data);
                else
                    pending->append(data);
            });
            connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] {
                if (client->state() == QAbstractSocket::ConnectedState)
                    client->write(upstream->readAll());
            });
            connect(upstream, &QTcpSocket::disconnected, client,
                    [client] { client->disconnectFromHost(); });
            connect(client, &QTcpSocket::disconnected, client, [client, upstream] {
                upstream->disconnectFromHost();
                client->deleteLater();
            });
            upstream->connectToHost(m_host, quint16(m_port));
        }
    }

    QTcpServer m_server;
    QString m_host;
    int m_port;
    Cut m_cut = Cut::Never;
    int m_cuts = 0;
};
