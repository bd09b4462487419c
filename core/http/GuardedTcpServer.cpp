#include "http/GuardedTcpServer.h"

#include "util/Logging.h"

#include <QTcpSocket>

GuardedTcpServer::GuardedTcpServer(qint64 maxRequestBytes, QObject *parent)
    : QTcpServer(parent), m_maxRequestBytes(maxRequestBytes)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        qCWarning(lcHttp) << "cannot accept a connection:" << socket->errorString();
        delete socket;
        return;
    }
    if (m_maxRequestBytes > 0) {
        // Connected before QHttpServer's own readyRead handler, so this runs first. That
        // handler reads inside a socket transaction until a request is complete, then
        // commits: while a transaction is open, bytesAvailable() is what arrived since its
        // last read, and the sum is the size of the request in progress.
        connect(socket, &QTcpSocket::readyRead, this,
                [socket, limit = m_maxRequestBytes, pending = qint64(0)]() mutable {
                    pending =
                        (socket->isTransactionStarted() ? pending : 0) + socket->bytesAvailable();
                    if (pending <= limit || socket->state() != QAbstractSocket::ConnectedState)
                        return;
                    qCWarning(lcHttp).noquote()
                        << "request from" << socket->peerAddress().toString() << "passed" << limit
                        << "bytes; closing the connection";
                    socket->write("HTTP/1.1 413 Payload Too Large\r\n"
                                  "Content-Type: application/json\r\n"
                                  "Connection: close\r\nContent-Length: 37\r\n\r\n"
                                  "{\"error\":\"the request is too large\"}\n");
                    socket->setReadBufferSize(1); // read no more of it into memory
                    socket->disconnectFromHost();
                });
    }
    addPendingConnection(socket);
}
