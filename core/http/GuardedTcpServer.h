#pragma once

#include <QTcpServer>

/*!
 * The HTTP API's listening socket. Qt 6.4's QHttpServer reads a whole request into memory
 * before any handler runs, so a handler's size check comes too late to protect memory (and
 * runs after an unauthenticated client has already sent everything). This server watches
 * each connection's bytes as they arrive and cuts a request that grows past the limit,
 * with a best-effort 413 (a client still sending may see a reset instead).
 */
class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    /// `maxRequestBytes`: head and body of one request together; <= 0 means no limit.
    explicit GuardedTcpServer(qint64 maxRequestBytes, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    qint64 m_maxRequestBytes;
};
