#pragma once

// A TCP proxy on 127.0.0.1 in front of the test PostgreSQL that can cut a connection at the
// worst moment: right after forwarding COMMIT (the server commits, the client never hears
// it) or right before (nothing commits). It runs on its own thread, so the test thread may
// block (a store destructor, a direct query) without stalling the store's connection.

#include <QMetaObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>

#include <atomic>
#include <memory>

class CutProxy {
public:
    enum class Cut { Never, AfterCommit, BeforeCommit };

    CutProxy(QString host, int port) : m_host(std::move(host)), m_port(port)
    {
        // Made before the thread starts, so the start orders it for TSan too (it cannot see
        // the hand-off inside Qt's blocking queued call).
        m_server = new QTcpServer; // lives and dies on m_thread
        m_server->moveToThread(&m_thread);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_server,
            [this] {
                QObject::connect(m_server, &QTcpServer::newConnection, m_server,
                                 [this] { accept(); });
                m_server->listen(QHostAddress::LocalHost, 0);
                m_listenPort = m_server->serverPort();
            },
            Qt::BlockingQueuedConnection);
    }
    ~CutProxy()
    {
        QMetaObject::invokeMethod(
            m_server, [this] { delete m_server; }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }
    int port() const { return m_listenPort; }
    /// The next COMMIT that passes is cut as said; later ones pass again.
    void arm(Cut cut) { m_cut = cut; }
    int cuts() const { return m_cuts; }

private:
    // Proxy thread only.
    void accept()
    {
        while (QTcpSocket *client = m_server->nextPendingConnection()) {
            auto *upstream = new QTcpSocket(m_server);
            auto pending = std::make_shared<QByteArray>();
            QObject::connect(upstream, &QTcpSocket::connected, upstream, [upstream, pending] {
                upstream->write(*pending);
                pending->clear();
            });
            QObject::connect(client, &QTcpSocket::readyRead, client,
                             [this, client, upstream, pending] {
                                 const QByteArray data = client->readAll();
                                 // A simple-query message 'Q', length 11, "COMMIT\0": what the
                                 // driver sends.
                                 const bool commit = data.contains(QByteArray("Q\0\0\0\x0b"
                                                                              "COMMIT\0",
                                                                              12));
                                 if (commit && m_cut != Cut::Never) {
                                     const Cut cut = m_cut.exchange(Cut::Never);
                                     ++m_cuts;
                                     if (cut == Cut::AfterCommit) {
                                         upstream->write(data);
                                         upstream->flush();
                                         upstream->disconnectFromHost(); // after the bytes are out
                                     } else {
                                         upstream->abort();
                                     }
                                     client->abort();
                                     return;
                                 }
                                 if (upstream->state() == QAbstractSocket::ConnectedState)
                                     upstream->write(data);
                                 else
                                     pending->append(data);
                             });
            QObject::connect(upstream, &QTcpSocket::readyRead, client, [client, upstream] {
                if (client->state() == QAbstractSocket::ConnectedState)
                    client->write(upstream->readAll());
                else
                    upstream->readAll();
            });
            QObject::connect(upstream, &QTcpSocket::disconnected, upstream, [client, upstream] {
                client->disconnectFromHost();
                upstream->deleteLater();
            });
            QObject::connect(client, &QTcpSocket::disconnected, upstream,
                             [upstream] { upstream->disconnectFromHost(); });
            upstream->connectToHost(m_host, quint16(m_port));
        }
    }

    QString m_host;
    int m_port;
    QThread m_thread;
    QTcpServer *m_server = nullptr;
    // Written on the proxy thread: TSan cannot see the blocking call's hand-off.
    std::atomic<int> m_listenPort{0};
    std::atomic<Cut> m_cut{Cut::Never};
    std::atomic<int> m_cuts{0};
};
