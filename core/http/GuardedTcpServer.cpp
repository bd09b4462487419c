#include "http/GuardedTcpServer.h"

#include "util/Logging.h"

#include <QTcpSocket>
#include <QTimer>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

constexpr int refusedLingerMs = 1000; ///< a refused client has this long to read its 503
constexpr int trimDelayMs = 1000;     ///< at most one heap trim a second, after clients leave

} // namespace

GuardedTcpServer::GuardedTcpServer(const HttpLimits &limits, HttpConnection::Handler handler,
                                   QObject *parent)
    : QTcpServer(parent), m_limits(limits), m_handler(std::move(handler))
{
    // glibc keeps freed buffers of departed clients in its arenas; hand them back to the
    // system, so that memory returns to its baseline once abusive clients are gone.
    m_trim.setSingleShot(true);
    m_trim.setInterval(trimDelayMs);
    connect(&m_trim, &QTimer::timeout, this, [] {
#if defined(__GLIBC__)
        malloc_trim(0);
#endif
    });
}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot accept a connection:" << socket->errorString();
        delete socket;
        return;
    }
    // Never more than one chunk in Qt's buffer: the rest waits in the kernel, and a client
    // sending faster than it is served is slowed by TCP.
    socket->setReadBufferSize(m_limits.readChunkBytes);
    if (m_open >= m_limits.maxConnections)
        refuse(socket);
    else
        serve(socket);
}

void GuardedTcpServer::serve(QTcpSocket *socket)
{
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] {
        --m_open;
        if (!m_trim.isActive())
            m_trim.start();
    });
    auto *connection = new HttpConnection(m_limits, m_handler, socket);
    connection->peer = socket->peerAddress().toString();
    connection->write = [socket](const QByteArray &bytes) { socket->write(bytes); };
    connection->pendingOutput = [socket] { return socket->bytesToWrite(); };
    const int abortAfter = m_limits.idleTimeoutMs;
    connection->close = [socket, abortAfter] {
        socket->disconnectFromHost(); // after what was written is out
        // A client that never reads its answer does not keep the socket.
        QTimer::singleShot(abortAfter, socket, [socket] { socket->abort(); });
    };
    const auto pull = [socket, connection] {
        while (!connection->isClosed()) {
            const qint64 room = std::min(connection->inputRoom(), socket->bytesAvailable());
            if (room <= 0)
                return;
            connection->receive(socket->read(room));
        }
    };
    connect(socket, &QTcpSocket::readyRead, connection, pull);
    connect(connection, &HttpConnection::inputWanted, socket, pull, Qt::QueuedConnection);
    connect(socket, &QTcpSocket::bytesWritten, connection, &HttpConnection::outputProgress);
    connect(socket, &QTcpSocket::disconnected, connection, &HttpConnection::receiveEnd);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
}

void GuardedTcpServer::refuse(QTcpSocket *socket)
{
    if (m_refused++ % 1000 == 0)
        qCWarning(lcHttp).noquote()
            << "refusing a connection from" << socket->peerAddress().toString() << "(already"
            << m_open << "open; refused so far:" << m_refused << ")";
    socket->write(HttpResponse::error(503, QStringLiteral("too many connections (%1 are open); "
                                                          "try again later")
                                               .arg(m_open))
                      .serialize(true));
    socket->disconnectFromHost();
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(refusedLingerMs, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
}
