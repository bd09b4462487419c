#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

/// One answer, as HttpConnection writes it: status, headers, a body of known length.
struct HttpResponse {
    int status = 200;
    QByteArray contentType = QByteArrayLiteral("application/json");
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers; ///< beyond the framing ones

    /// A compact JSON body with a trailing newline.
    static HttpResponse json(int status, const QJsonObject &object);
    /// `{"error":message}`.
    static HttpResponse error(int status, const QString &message);

    /// Status line, headers (Content-Length, Connection) and body; `close` ends the connection.
    QByteArray serialize(bool close) const;
    static QByteArray reason(int status);
};
