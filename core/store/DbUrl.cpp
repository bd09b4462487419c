#include "store/DbUrl.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QUrl>

namespace {

const QString kUsage = QStringLiteral(
    "use sqlite:PATH, sqlite::memory: or postgresql://user:password@host:port/database");

/// Hides the password of a URL that may not parse: error messages quote what the user typed.
QString redactRaw(const QString &text)
{
    const qsizetype schemeEnd = text.indexOf(u"://");
    if (schemeEnd < 0)
        return text;
    const qsizetype authStart = schemeEnd + 3;
    qsizetype authEnd = text.indexOf(u'/', authStart);
    if (authEnd < 0)
        authEnd = text.size();
    const qsizetype at = text.lastIndexOf(u'@', authEnd - 1);
    if (at < authStart)
        return text;
    const qsizetype colon = text.indexOf(u':', authStart);
    if (colon < 0 || colon > at)
        return text;
    return text.left(colon + 1) + QStringLiteral("***") + text.mid(at);
}

std::optional<DbUrl> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

std::optional<DbUrl> parseSqlite(const QString &text, QString rest, QString *error)
{
    DbUrl url;
    url.kind = DbUrl::Kind::Sqlite;
    if (rest == u":memory:") {
        url.inMemory = true;
        return url;
    }
    // Accept the common sqlite:///abs/path spelling as well as sqlite:/abs/path.
    if (rest.startsWith(u"//"))
        rest = rest.mid(2);
    if (rest.isEmpty())
        return fail(error,
                    QStringLiteral("missing file path in --db URL '%1' (%2)").arg(text, kUsage));
    url.path = rest;
    return url;
}

std::optional<DbUrl> parsePostgres(const QString &text, const QString &rest, QString *error)
{
    const QString shown = redactRaw(text);
    DbUrl url;
    url.kind = DbUrl::Kind::Postgres;

    qsizetype slash = rest.indexOf(u'/');
    const QString authority = slash < 0 ? rest : rest.left(slash);
    QString dbPart = slash < 0 ? QString() : rest.mid(slash + 1);
    if (dbPart.contains(u'?') || dbPart.contains(u'#'))
        return fail(error, QStringLiteral("unsupported parameters after the database name in "
                                          "--db URL %1")
                               .arg(shown));

    QString hostPort = authority;
    const qsizetype at = authority.lastIndexOf(u'@');
    if (at >= 0) {
        const QString userInfo = authority.left(at);
        hostPort = authority.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        const QString user = colon < 0 ? userInfo : userInfo.left(colon);
        url.user = QUrl::fromPercentEncoding(user.toUtf8());
        if (colon >= 0)
            url.password = QUrl::fromPercentEncoding(userInfo.mid(colon + 1).toUtf8());
    }

    QString portText;
    if (hostPort.startsWith(u'[')) { // IPv6 literal
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return fail(error, QStringLiteral("bad host '%1' in --db URL %2").arg(hostPort, shown));
        url.host = hostPort.mid(1, close - 1);
        const QString after = hostPort.mid(close + 1);
        if (!after.isEmpty()) {
            if (!after.startsWith(u':'))
                return fail(error,
                            QStringLiteral("bad host '%1' in --db URL %2").arg(hostPort, shown));
            portText = after.mid(1);
        }
    } else {
        const qsizetype colon = hostPort.lastIndexOf(u':');
        url.host = colon < 0 ? hostPort : hostPort.left(colon);
        if (colon >= 0)
            portText = hostPort.mid(colon + 1);
    }
    if (url.host.isEmpty())
        return fail(error, QStringLiteral("missing host in --db URL %1").arg(shown));
    if (!portText.isNull()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port < 1 || port > 65535 || portText.startsWith(u'+'))
            return fail(error, QStringLiteral("bad port '%1' in --db URL %2").arg(portText, shown));
        url.port = port;
    }
    url.database = QUrl::fromPercentEncoding(dbPart.toUtf8());
    if (url.database.isEmpty())
        return fail(error,
                    QStringLiteral("missing database name in --db URL %1 (%2)").arg(shown, kUsage));
    return url;
}

} // namespace

std::optional<DbUrl> DbUrl::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, QStringLiteral("empty database URL (%1)").arg(kUsage));
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0)
        return fail(error,
                    QStringLiteral("missing scheme in --db URL '%1' (did you mean sqlite:%1? %2)")
                        .arg(text, kUsage));
    const QString scheme = text.left(colon).toLower();
    if (scheme == u"sqlite")
        return parseSqlite(text, text.mid(colon + 1), error);
    if (scheme == u"postgresql" || scheme == u"postgres") {
        if (!text.mid(colon + 1).startsWith(u"//"))
            return fail(error, QStringLiteral("expected '%1://' at the start of the --db URL (%2)")
                                   .arg(scheme, kUsage));
        return parsePostgres(text, text.mid(colon + 3), error);
    }
    return fail(error, QStringLiteral("unknown scheme '%1' in --db URL %2 (%3)")
                           .arg(text.left(colon), redactRaw(text), kUsage));
}

DbUrl DbUrl::defaultSqlite()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    QDir().mkpath(dir);
    DbUrl url;
    url.kind = Kind::Sqlite;
    url.path = QDir(dir).filePath(QStringLiteral("stickyboard.db"));
    return url;
}

QString DbUrl::redacted() const
{
    if (kind == Kind::Sqlite)
        return inMemory ? QStringLiteral("sqlite::memory:") : QStringLiteral("sqlite:") + path;
    QString text = QStringLiteral("postgresql://");
    if (!user.isEmpty() || !password.isEmpty()) {
        text += QString::fromUtf8(QUrl::toPercentEncoding(user));
        if (!password.isEmpty())
            text += u":***";
        text += u'@';
    }
    text += host.contains(u':') ? u'[' + host + u']' : host;
    text +=
        u':' + QString::number(port) + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(database));
    return text;
}
