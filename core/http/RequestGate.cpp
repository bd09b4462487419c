#include "http/RequestGate.h"

#include <QHostAddress>
#include <QUrl>

namespace {

/// Takes as long for every guess of the same length: timing tells nothing about the token.
bool constantTimeEquals(QByteArrayView given, QByteArrayView expected)
{
    unsigned diff = given.size() == expected.size() ? 0u : 1u;
    for (qsizetype i = 0; i < expected.size(); ++i)
        diff |= uchar(expected[i]) ^ uchar(i < given.size() ? given[i] : 0);
    return diff == 0;
}

/// `host[:port]` or `[v6][:port]` → the host, lower-cased, without brackets or a trailing
/// dot; empty when the value is not one.
QByteArray hostPart(QByteArrayView value)
{
    QByteArrayView host = value;
    QByteArrayView port;
    if (host.startsWith('[')) {
        const qsizetype close = host.indexOf(']');
        if (close < 0)
            return {};
        port = host.sliced(close + 1);
        host = host.sliced(1, close - 1);
        if (!port.isEmpty() && !port.startsWith(':'))
            return {};
        port = port.isEmpty() ? port : port.sliced(1);
    } else if (const qsizetype colon = host.lastIndexOf(':'); colon >= 0) {
        port = host.sliced(colon + 1);
        host = host.first(colon);
    }
    if (port.size() > 5)
        return {};
    for (const char c : port)
        if (c < '0' || c > '9')
            return {};
    QByteArray out = host.toByteArray().toLower();
    if (out.endsWith('.'))
        out.chop(1);
    return out;
}

bool validName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > 253)
        return false;
    for (const char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    return true;
}

} // namespace

RequestGate::RequestGate(const Options &options)
    : m_options(options), m_token(options.token.toUtf8())
{}

std::optional<HttpResponse> RequestGate::check(const HttpRequestHead &request) const
{
    if (request.count("host") != 1)
        return HttpResponse::error(400, QStringLiteral("a request needs exactly one Host header"));
    if (!hostAllowed(request.value("host")))
        return HttpResponse::error(
            421, QStringLiteral("this server does not answer to that Host (it answers to its "
                                "address, localhost and the --listen-name names)"));
    if (request.count("origin") > 0 &&
        (request.count("origin") > 1 || !originAllowed(request.value("origin"))))
        return HttpResponse::error(
            403, QStringLiteral("requests from web pages are refused unless --listen-origin "
                                "allows their origin"));
    if (!authorized(request.value("authorization"))) {
        HttpResponse r = HttpResponse::error(
            401, QStringLiteral("this server needs Authorization: Bearer TOKEN (the "
                                "--listen-token-file token)"));
        r.headers.append({QByteArrayLiteral("WWW-Authenticate"), QByteArrayLiteral("Bearer")});
        return r;
    }
    return std::nullopt;
}

bool RequestGate::hostAllowed(QByteArrayView value) const
{
    const QByteArray host = hostPart(value);
    if (host.isEmpty())
        return false;
    if (host == "localhost")
        return true;
    QHostAddress literal;
    if (literal.setAddress(QString::fromLatin1(host))) {
        // A rebinding page always sends a name; an address literal is this machine's own
        // origin. A wildcard bind answers on every address, a specific one on its own.
        const QHostAddress bound = m_options.listen.address;
        if (bound == QHostAddress::AnyIPv4 || bound == QHostAddress::AnyIPv6 ||
            bound == QHostAddress::Any)
            return true;
        return literal.isEqual(bound, QHostAddress::TolerantConversion);
    }
    return m_options.names.contains(QString::fromLatin1(host));
}

bool RequestGate::originAllowed(QByteArrayView origin) const
{
    QString error;
    const std::optional<QString> normalized =
        normalizeOrigin(QString::fromLatin1(origin.trimmed()), &error);
    return normalized && m_options.origins.contains(*normalized);
}

bool RequestGate::authorized(QByteArrayView header) const
{
    if (m_token.isEmpty())
        return true;
    header = header.trimmed();
    const qsizetype space = header.indexOf(' ');
    if (space < 0 || header.first(space).toByteArray().compare("Bearer", Qt::CaseInsensitive) != 0)
        return false;
    return constantTimeEquals(header.sliced(space + 1).trimmed(), m_token);
}

std::optional<QString> RequestGate::normalizeOrigin(const QString &text, QString *error)
{
    QString t = text.trimmed();
    if (t.endsWith(u'/'))
        t.chop(1);
    const QUrl url(t, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || (scheme != u"http" && scheme != u"https") || url.host().isEmpty() ||
        !url.userInfo().isEmpty() || !url.path().isEmpty() || url.hasQuery() || url.hasFragment()) {
        if (error)
            *error = QStringLiteral("an origin is scheme://host[:port] with scheme http or https "
                                    "and nothing after it, got '%1'")
                         .arg(text.left(200));
        return std::nullopt;
    }
    const int port = url.port();
    const int defaultPort = scheme == u"https" ? 443 : 80;
    QString out = scheme + QStringLiteral("://") +
                  (url.host().contains(u':') ? u'[' + url.host() + u']' : url.host()).toLower();
    if (port >= 0 && port != defaultPort)
        out += u':' + QString::number(port);
    return out;
}

std::optional<QString> RequestGate::normalizeName(const QString &text, QString *error)
{
    QString name = text.trimmed().toLower();
    if (name.endsWith(u'.'))
        name.chop(1);
    if (!validName(name.toLatin1()) || name.contains(u"..")) {
        if (error)
            *error = QStringLiteral("a host name has letters, digits, '-' and '.', got '%1'")
                         .arg(text.left(200));
        return std::nullopt;
    }
    return name;
}
