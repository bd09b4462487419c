#include "http/ListenAddress.h"

#include <algorithm>

namespace {

bool fail(QString *error, const QString &text, const QString &why)
{
    if (error)
        *error = QStringLiteral("--listen '%1': %2").arg(text, why);
    return false;
}

/// Splits HOST:PORT; an IPv6 HOST must be bracketed, since its colons make PORT ambiguous.
bool split(const QString &text, QString *host, QString *port, QString *error)
{
    const QString usage = QStringLiteral(" (HOST:PORT, e.g. 127.0.0.1:9464)");
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0)
            return fail(error, text, QStringLiteral("missing ']' after the IPv6 address"));
        *host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (rest.isEmpty() || rest == u":")
            return fail(error, text, QStringLiteral("missing port") + usage);
        if (!rest.startsWith(u':'))
            return fail(error, text, QStringLiteral("expected ':PORT' after ']'"));
        *port = rest.mid(1);
        return true;
    }
    const qsizetype colon = text.lastIndexOf(u':');
    bool digitsOnly = !text.isEmpty();
    for (const QChar c : text)
        digitsOnly = digitsOnly && c.isDigit();
    if (digitsOnly) { // a bare port: on loopback, like ":9464"
        host->clear();
        *port = text;
        return true;
    }
    if (colon < 0 || colon == text.size() - 1)
        return fail(error, text, QStringLiteral("missing port") + usage);
    *host = text.left(colon);
    *port = text.mid(colon + 1);
    if (host->contains(u':'))
        return fail(error, text,
                    QStringLiteral("put an IPv6 address in brackets, e.g. [::1]:9464"));
    return true;
}

} // namespace

std::optional<ListenAddress> ListenAddress::parse(const QString &text, QString *error)
{
    QString host;
    QString portText;
    if (!split(text, &host, &portText, error))
        return std::nullopt;

    bool ok = false;
    const uint port = portText.toUInt(&ok);
    // toUInt() accepts "+1" and " 1"; a port is digits only.
    const bool digits = std::all_of(portText.cbegin(), portText.cend(),
                                    [](QChar c) { return c >= u'0' && c <= u'9'; });
    if (!ok || !digits || port > 65535) {
        fail(error, text, QStringLiteral("port must be 0 to 65535"));
        return std::nullopt;
    }

    ListenAddress out;
    out.port = quint16(port);
    const bool bracketed = text.startsWith(u'[');
    // ":9464" means loopback: the safe default.
    if (!bracketed && (host.isEmpty() || host.compare(u"localhost", Qt::CaseInsensitive) == 0)) {
        out.address = QHostAddress(QHostAddress::LocalHost);
    } else if (!out.address.setAddress(host) ||
               (bracketed && out.address.protocol() != QAbstractSocket::IPv6Protocol)) {
        fail(error, text,
             QStringLiteral("unknown host '%1' (use an IP address or localhost; names are not "
                            "resolved)")
                 .arg(host));
        return std::nullopt;
    }
    return out;
}

QString ListenAddress::toString() const
{
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + address.toString() + u']'
                             : address.toString();
    return host + u':' + QString::number(port);
}
