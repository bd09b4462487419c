#pragma once

#include "http/HttpRequestHead.h"
#include "http/HttpResponse.h"
#include "http/ListenAddress.h"

#include <QStringList>

#include <optional>

/*!
 * What every request passes before it is routed, in this order:
 *
 * - **Host** names the bound address (any address of this machine for a wildcard bind),
 *   `localhost`, or a configured name; else 421. A page that rebinds its own DNS name to
 *   127.0.0.1 still sends its name as Host, so it never reads an answer.
 * - **Origin**, when sent, is one of the configured origins; else 403. Browsers send it with
 *   every cross-origin POST, so a web page cannot post faults to a loopback server.
 * - **Authorization: Bearer TOKEN** when a token is set (compared in constant time); else 401.
 */
class RequestGate {
public:
    struct Options {
        ListenAddress listen;
        QStringList names;   ///< Host names accepted besides the address and localhost
        QStringList origins; ///< normalized with normalizeOrigin()
        QString token;       ///< empty: no authentication
    };

    RequestGate() = default;
    explicit RequestGate(const Options &options);

    /// std::nullopt when `request` may go on; otherwise the answer to give.
    std::optional<HttpResponse> check(const HttpRequestHead &request) const;

    bool hostAllowed(QByteArrayView host) const;
    bool originAllowed(QByteArrayView origin) const;
    bool authorized(QByteArrayView authorization) const;

    /// `scheme://host[:port]`, lower-cased; std::nullopt with `error` for anything else
    /// (a path, a user, another scheme). For `--listen-origin` and for comparing.
    static std::optional<QString> normalizeOrigin(const QString &text, QString *error);
    /// A Host name for `--listen-name`: letters, digits, '-', '.'; lower-cased.
    static std::optional<QString> normalizeName(const QString &text, QString *error);

private:
    Options m_options;
    QByteArray m_token;
};
