#pragma once

#include "http/HttpConnection.h"
#include "http/HttpLimits.h"

#include <QTcpServer>
#include <QTimer>

/*!
 * The HTTP API's listening socket and the transport under each HttpConnection. Qt 6.4's
 * QHttpServer reads a whole request into memory (twice) before any handler runs, so this
 * serves HTTP itself: each socket reads at most HttpLimits::readChunkBytes at a time, and
 * only as much as its HttpConnection has room for, so a client that sends faster than the
 * API works is held back by TCP, not buffered. Past HttpLimits::maxConnections open
 * connections a new one gets 503 and is closed.
 */
class GuardedTcpServer : public QTcpServer {
    Q_OBJECT
public:
    GuardedTcpServer(const HttpLimits &limits, HttpConnection::Handler handler,
                     QObject *parent = nullptr);

    /// Connections being served now (not counting refused ones on their way out).
    int connectionCount() const { return m_open; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void serve(class QTcpSocket *socket);
    void refuse(class QTcpSocket *socket);

    HttpLimits m_limits;
    HttpConnection::Handler m_handler;
    int m_open = 0;
    qint64 m_refused = 0;
    QTimer m_trim;
};
