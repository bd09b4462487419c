#include "util/Escape.h"

namespace {

bool isUnsafe(char16_t c)
{
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) // C0, DEL, C1
           || c == 0x2028 || c == 0x2029        // line and paragraph separators
           || (c >= 0x202a && c <= 0x202e)      // bidi embeddings and overrides
           || (c >= 0x2066 && c <= 0x2069)      // bidi isolates
           || c == 0x061c || c == 0x200e || c == 0x200f || c == 0xfeff;
}

} // namespace

namespace Escape {

bool needed(QStringView text)
{
    for (const QChar c : text) {
        if (isUnsafe(c.unicode()))
            return true;
    }
    return false;
}

QString text(QStringView text)
{
    if (!needed(text))
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    for (const QChar c : text) {
        if (isUnsafe(c.unicode()))
            out += QStringLiteral("\\u%1").arg(uint(c.unicode()), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

QString bytes(QByteArrayView bytes)
{
    return text(QString::fromUtf8(bytes));
}

} // namespace Escape
