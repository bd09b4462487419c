#include "observe/JsonPointer.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

namespace {

std::nullopt_t fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

/// RFC 6901 section 4: a decimal index without leading zeros; "-" (past the end) and
/// anything else never names an element.
std::optional<qsizetype> arrayIndex(QStringView token)
{
    if (token.isEmpty() || token.size() > 18 || (token.size() > 1 && token.front() == u'0'))
        return std::nullopt;
    qsizetype index = 0;
    for (const QChar c : token) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
        index = index * 10 + (c.unicode() - u'0');
    }
    return index;
}

} // namespace

std::optional<JsonPointer> JsonPointer::parse(QStringView text, QString *error)
{
    QString plain = text.toString();
    if (text.startsWith(u'#')) {
        const QByteArray encoded = text.mid(1).toUtf8();
        const QByteArray decoded = QByteArray::fromPercentEncoding(encoded);
        plain = QString::fromUtf8(decoded);
        if (plain.toUtf8() != decoded)
            return fail(
                error,
                QStringLiteral("'%1' is not valid UTF-8 once percent-decoded").arg(text.left(64)));
    }
    JsonPointer pointer;
    if (plain.isEmpty())
        return pointer; // the whole document
    if (!plain.startsWith(u'/'))
        return fail(error, QStringLiteral("'%1' must start with '/' (a JSON Pointer, RFC 6901)")
                               .arg(plain.left(64)));
    const QStringList raw = plain.mid(1).split(u'/');
    qsizetype at = 1; // character position in `plain`, for errors
    for (const QString &token : raw) {
        QString unescaped;
        unescaped.reserve(token.size());
        for (qsizetype i = 0; i < token.size(); ++i) {
            if (token[i] != u'~') {
                unescaped += token[i];
                continue;
            }
            const QChar next = i + 1 < token.size() ? token[i + 1] : QChar();
            if (next != u'0' && next != u'1')
                return fail(error, QStringLiteral("'%1': '~' at character %2 is no escape: use "
                                                  "~0 for '~' and ~1 for '/'")
                                       .arg(plain.left(64))
                                       .arg(at + i + 1));
            unescaped += next == u'0' ? u'~' : u'/';
            ++i;
        }
        pointer.m_tokens.append(unescaped);
        at += token.size() + 1;
    }
    return pointer;
}

QJsonValue JsonPointer::evaluate(const QJsonValue &document) const
{
    return evaluateFrom(document, 0);
}

QJsonValue JsonPointer::evaluateFrom(QJsonValue v, qsizetype first) const
{
    for (qsizetype i = first; i < m_tokens.size(); ++i) {
        const QString &token = m_tokens.at(i);
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            const auto it = o.constFind(token);
            if (it == o.constEnd())
                return QJsonValue(QJsonValue::Undefined);
            v = *it;
        } else if (v.isArray()) {
            const QJsonArray a = v.toArray();
            const std::optional<qsizetype> index = arrayIndex(token);
            if (!index || *index >= a.size())
                return QJsonValue(QJsonValue::Undefined);
            v = a.at(*index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return v;
}

QJsonValue JsonPointer::evaluate(const QJsonObject &document) const
{
    if (m_tokens.isEmpty())
        return document;
    // The first step without copying the object into a QJsonValue.
    const auto it = document.constFind(m_tokens.first());
    if (it == document.constEnd())
        return QJsonValue(QJsonValue::Undefined);
    return m_tokens.size() == 1 ? QJsonValue(*it) : evaluateFrom(*it, 1);
}

QString JsonPointer::toString() const
{
    QString out;
    for (QString token : m_tokens) {
        token.replace(u'~', QStringLiteral("~0")).replace(u'/', QStringLiteral("~1"));
        out += u'/' + token;
    }
    return out;
}

QString JsonPointer::toFragment() const
{
    return u'#' + QString::fromLatin1(QUrl::toPercentEncoding(toString(), "/~"));
}
