#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

/*!
 * The request line and headers of one HTTP/1.x request, as HttpConnection cut them from the
 * stream (everything before the blank line). Parsing is strict where leniency has been used
 * to smuggle requests: no obsolete line folding, no whitespace before a header's colon, no
 * control characters, one request line `METHOD SP TARGET SP HTTP/1.x`.
 */
struct HttpRequestHead {
    QByteArray method; ///< as sent: methods are case-sensitive
    QByteArray target; ///< origin form, `/path?query`
    QByteArray path;   ///< the target before any `?`
    int minorVersion = 1;
    QList<std::pair<QByteArray, QByteArray>> headers; ///< names lower-cased, values trimmed

    /// The first value of header `lowerName`; empty when absent.
    QByteArray value(QByteArrayView lowerName) const;
    int count(QByteArrayView lowerName) const;
    /// HTTP/1.1 unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    bool keepAlive() const;

    /// Parses `head`; std::nullopt with the status to answer (400, 431, 505) and why.
    static std::optional<HttpRequestHead> parse(QByteArrayView head, int maxHeaders, int *status,
                                                QString *error);
};
