#include "http/ListenToken.h"

#include <QFile>

namespace {

/// A token goes into a header as is: no blanks, no control characters, valid UTF-8.
bool usable(QByteArrayView token)
{
    for (const char c : token)
        if (uchar(c) <= 0x20 || uchar(c) == 0x7f)
            return false;
    return QString::fromUtf8(token).toUtf8() == token;
}

std::optional<QString> fromBytes(QByteArray bytes, const QString &where, QString *error)
{
    while (bytes.endsWith('\n') || bytes.endsWith('\r'))
        bytes.chop(1);
    if (bytes.isEmpty()) {
        *error = QStringLiteral("%1 is empty: it must hold the token").arg(where);
        return std::nullopt;
    }
    if (!usable(bytes)) {
        *error = QStringLiteral("%1 holds a space, a control character or invalid UTF-8: a "
                                "token is one word")
                     .arg(where);
        return std::nullopt;
    }
    return QString::fromUtf8(bytes);
}

} // namespace

std::optional<QString> ListenToken::readFile(const QString &path, QString *error)
{
    const QString where = QStringLiteral("--listen-token-file %1").arg(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read it (%2)").arg(where, file.errorString());
        return std::nullopt;
    }
    const QByteArray bytes = file.read(maxBytes + 1);
    if (bytes.size() > maxBytes) {
        *error =
            QStringLiteral("%1 is longer than %2 bytes: is it the token?").arg(where).arg(maxBytes);
        return std::nullopt;
    }
    return fromBytes(bytes, where, error);
}

std::optional<QString> ListenToken::resolve(const Sources &sources, QString *warning,
                                            QString *error)
{
    if (sources.argument && sources.file) {
        *error = QStringLiteral("--listen-token and --listen-token-file cannot both be given");
        return std::nullopt;
    }
    if (sources.file)
        return readFile(*sources.file, error);
    if (sources.argument) {
        if (sources.argument->isEmpty()) {
            *error = QStringLiteral("--listen-token needs a value");
            return std::nullopt;
        }
        if (!usable(sources.argument->toUtf8())) {
            *error = QStringLiteral("--listen-token holds a space or a control character: a "
                                    "token is one word");
            return std::nullopt;
        }
        *warning = QStringLiteral("warning: --listen-token puts the token on the command line, "
                                  "where every local user can read it (ps, /proc/PID/cmdline); "
                                  "use --listen-token-file PATH or %1 instead")
                       .arg(QLatin1String(environmentVariable));
        return sources.argument;
    }
    if (sources.environment && !sources.environment->isEmpty())
        return fromBytes(*sources.environment, QLatin1String(environmentVariable), error);
    return QString();
}
