#pragma once

#include <QHostAddress>
#include <QString>

#include <optional>

/*!
 * Where `--listen HOST:PORT` binds: `127.0.0.1:9464`, `localhost:9464`, `0.0.0.0:9464`,
 * `[::1]:9464`, `[::]:9464`, or `:9464` (loopback). HOST is a literal address or
 * `localhost`; names are never resolved, so what binds is exactly what was written.
 */
struct ListenAddress {
    QHostAddress address{QHostAddress::LocalHost};
    quint16 port = 0; ///< 0: any free port (tests)

    /// Parses `text`; std::nullopt with `error` naming the bad part otherwise.
    static std::optional<ListenAddress> parse(const QString &text, QString *error);

    /// Only this machine can connect (127.0.0.0/8, ::1).
    bool isLoopback() const { return address.isLoopback(); }
    /// As written back to people: `127.0.0.1:9464`, `[::1]:9464`.
    QString toString() const;
};
