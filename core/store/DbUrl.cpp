#include "store/DbUrl.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace {

const QString kUsage =
    QStringLiteral("use sqlite:PATH, sqlite::memory: or "
                   "postgresql://user:password@host:port/database[?sslmode=...]");

/// `?password=` or `&password=` and everything after it.
const QRegularExpression &passwordParam()
{
    static const QRegularExpression re(u"([?&]password=).*"_s,
                                       QRegularExpression::CaseInsensitiveOption |
                                           QRegularExpression::DotMatchesEverythingOption);
    return re;
}

std::optional<DbUrl> fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

QString decode(const QString &part)
{
    return QUrl::fromPercentEncoding(part.toUtf8());
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
        return fail(error, QStringLiteral("missing file path in --db URL '%1' (%2)")
                               .arg(DbUrl::redactText(text), kUsage));
    url.path = rest;
    return url;
}

/// `name=value&...` after the '?': known libpq keywords only, each once, with a value that
/// can be passed on (QPSQL splits its connect options at ';', so no value may hold one).
/// Values are never quoted: a second '?' or a `password=` can make one hold a secret.
bool parseParams(const QString &query, const QString &shown, DbUrl *url, QString *error)
{
    for (const QString &pair : query.split(u'&')) {
        const qsizetype eq = pair.indexOf(u'=');
        const QString name = decode(eq < 0 ? pair : pair.left(eq));
        const QString value = eq < 0 ? QString() : decode(pair.mid(eq + 1));
        const auto bad = [&](const QString &why) {
            fail(error, QStringLiteral("%1 in --db URL %2").arg(why, shown));
            return false;
        };
        // A second '?' is a typo, and what follows may be a ?password=: neither quoted nor
        // kept (found by fuzz_dburl).
        if (pair.contains(u'?'))
            return bad(QStringLiteral("a second '?' in the parameters"));
        if (name.isEmpty())
            return bad(QStringLiteral("empty parameter"));
        if (!DbUrl::knownParams().contains(name))
            return bad(QStringLiteral("unknown parameter '%1' (known: %2)")
                           .arg(name.left(64), DbUrl::knownParams().join(u", ")));
        if (url->params.contains(name))
            return bad(QStringLiteral("parameter '%1' given twice").arg(name));
        if (value.isEmpty())
            return bad(QStringLiteral("parameter '%1' has no value").arg(name));
        if (value.contains(u';') || value.contains(QChar(0)))
            return bad(QStringLiteral("parameter '%1' contains ';' or NUL, which the driver "
                                      "cannot pass on")
                           .arg(name));
        static const QStringList modes = {u"disable"_s, u"allow"_s,     u"prefer"_s,
                                          u"require"_s, u"verify-ca"_s, u"verify-full"_s};
        if (name == u"sslmode" && !modes.contains(value))
            return bad(QStringLiteral("bad sslmode (expected %1)").arg(modes.join(u", ")));
        if (name == u"connect_timeout") {
            bool ok = false;
            const int seconds = value.toInt(&ok);
            if (!ok || seconds < 1 || seconds > 3600 || value.startsWith(u'+'))
                return bad(QStringLiteral("bad connect_timeout (seconds, 1 to 3600)"));
        }
        url->params.insert(name, value);
    }
    return true;
}

std::optional<DbUrl> parsePostgres(const QString &text, const QString &rest, QString *error)
{
    const QString shown = DbUrl::redactText(text);
    DbUrl url;
    url.kind = DbUrl::Kind::Postgres;
    if (passwordParam().match(text).hasMatch())
        return fail(error, QStringLiteral("password= is not taken as a URL parameter in --db URL "
                                          "%1: put it before the '@' (user:password@host) or in "
                                          "PGPASSWORD or ~/.pgpass")
                               .arg(shown));

    // The user part ends at the last '@', so a password may hold '/', '?', ':' or '@'
    // even when not percent-encoded; an '@' after the host must be written %40.
    const qsizetype at = rest.lastIndexOf(u'@');
    QString afterAt = at < 0 ? rest : rest.mid(at + 1);
    if (at >= 0) {
        const QString userInfo = rest.left(at);
        const qsizetype colon = userInfo.indexOf(u':');
        url.user = decode(colon < 0 ? userInfo : userInfo.left(colon));
        if (colon >= 0)
            url.password = decode(userInfo.mid(colon + 1));
    }
    if (afterAt.contains(u'#'))
        return fail(error, QStringLiteral("unexpected '#' in --db URL %1").arg(shown));
    const qsizetype question = afterAt.indexOf(u'?');
    if (question >= 0) {
        if (!parseParams(afterAt.mid(question + 1), shown, &url, error))
            return std::nullopt;
        afterAt.truncate(question);
    }
    const qsizetype slash = afterAt.indexOf(u'/');
    const QString hostPort = slash < 0 ? afterAt : afterAt.left(slash);
    const QString dbPart = slash < 0 ? QString() : afterAt.mid(slash + 1);

    QString portText;
    if (hostPort.startsWith(u'[')) { // IPv6 literal
        const qsizetype close = hostPort.indexOf(u']');
        const QString after = close < 0 ? QString() : hostPort.mid(close + 1);
        if (close < 0 || (!after.isEmpty() && !after.startsWith(u':')))
            return fail(error, QStringLiteral("bad host in --db URL %1").arg(shown));
        url.host = hostPort.mid(1, close - 1);
        if (!after.isEmpty())
            portText = after.mid(1);
    } else {
        const qsizetype colon = hostPort.lastIndexOf(u':');
        url.host = decode(colon < 0 ? hostPort : hostPort.left(colon));
        if (colon >= 0)
            portText = hostPort.mid(colon + 1);
    }
    if (url.host.isEmpty())
        return fail(error, QStringLiteral("missing host in --db URL %1").arg(shown));
    if (!portText.isNull()) {
        bool ok = false;
        const int port = portText.toInt(&ok);
        if (!ok || port < 1 || port > 65535 || portText.startsWith(u'+')) {
            // Without an '@', "user:secret" would read as host:port: never quote that port.
            if (at < 0)
                return fail(error, QStringLiteral("bad port in --db URL %1 (a port is a number; "
                                                  "user:password needs an '@' before the host)")
                                       .arg(shown));
            return fail(
                error,
                QStringLiteral("bad port '%1' in --db URL %2").arg(portText.left(64), shown));
        }
        url.port = port;
    }
    url.database = decode(dbPart);
    if (url.database.isEmpty())
        return fail(error,
                    QStringLiteral("missing database name in --db URL %1 (%2)").arg(shown, kUsage));
    return url;
}

} // namespace

const QStringList &DbUrl::knownParams()
{
    static const QStringList names = {u"sslmode"_s, u"sslrootcert"_s, u"sslcert"_s, u"sslkey"_s,
                                      u"connect_timeout"_s};
    return names;
}

QString DbUrl::redactText(const QString &text)
{
    // libpq also takes ?password=: hide it and all after it first, as its value may hold an
    // '@' that would otherwise move where the user part seems to end (found by fuzz_dburl).
    QString out = text;
    out.replace(passwordParam(), u"\\1***"_s);
    const qsizetype at = out.lastIndexOf(u'@');
    if (at >= 0) {
        // Only "//" right after the scheme counts: one inside the password must not move
        // where the user part starts.
        const qsizetype schemeEnd = out.indexOf(u':');
        const qsizetype slashes =
            schemeEnd >= 0 && QStringView(out).mid(schemeEnd + 1).startsWith(u"//") ? schemeEnd + 1
                                                                                    : -1;
        if (slashes >= 0 && slashes < at) {
            // scheme://user:secret@... keeps the user.
            const qsizetype colon = out.indexOf(u':', slashes + 2);
            if (colon >= 0 && colon < at)
                out.replace(colon + 1, at - colon - 1, u"***"_s);
        } else {
            // No "//": which ':' ends the scheme is a guess; hide all from the first one.
            const qsizetype colon = out.indexOf(u':');
            if (colon >= 0 && colon < at)
                out.replace(colon + 1, at - colon - 1, u"***"_s);
        }
    } else {
        // postgresql://user:secret/db (no '@'): a "port" that is no number may be (part of)
        // a password; hide it and everything after it.
        static const QRegularExpression port(u"(//[^/?#:@\\[]*:)(?![0-9]*(?:[/?#]|$)).*"_s);
        out.replace(port, u"\\1***"_s);
    }
    return out;
}

std::optional<DbUrl> DbUrl::parse(const QString &input, QString *error)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return fail(error, QStringLiteral("empty database URL (%1)").arg(kUsage));
    const qsizetype colon = text.indexOf(u':');
    if (colon <= 0) {
        const QString shown = redactText(text);
        return fail(error,
                    QStringLiteral("missing scheme in --db URL '%1' (did you mean sqlite:%1? %2)")
                        .arg(shown, kUsage));
    }
    const QString scheme = text.left(colon).toLower();
    if (scheme == u"sqlite")
        return parseSqlite(text, text.mid(colon + 1), error);
    if (scheme == u"postgresql" || scheme == u"postgres") {
        if (!text.mid(colon + 1).startsWith(u"//"))
            return fail(error, QStringLiteral("expected '%1://' at the start of the --db URL (%2)")
                                   .arg(scheme, kUsage));
        return parsePostgres(text, text.mid(colon + 3), error);
    }
    // What precedes the first ':' is never hidden, and never a password.
    return fail(error, QStringLiteral("unknown scheme '%1' in --db URL %2 (%3)")
                           .arg(text.left(colon), redactText(text), kUsage));
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
    // An IPv6 literal in brackets; anything odd (a decoded '/', ']' or '@') percent-encoded,
    // so what is printed parses back to the same host.
    static const QRegularExpression ipv6(u"\\A[0-9A-Za-z:.%_-]*:[0-9A-Za-z:.%_-]*\\z"_s);
    text += ipv6.match(host).hasMatch() ? u'[' + host + u']'
                                        : QString::fromUtf8(QUrl::toPercentEncoding(host));
    text +=
        u':' + QString::number(port) + u'/' + QString::fromUtf8(QUrl::toPercentEncoding(database));
    QChar separator = u'?';
    for (auto it = params.cbegin(); it != params.cend(); ++it) {
        text += separator + it.key() + u'=' +
                QString::fromUtf8(QUrl::toPercentEncoding(it.value(), "/"));
        separator = u'&';
    }
    return text;
}
