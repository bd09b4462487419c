#include "util/IdCheck.h"

namespace IdCheck {

std::optional<QString> idProblem(QStringView id)
{
    if (id.isEmpty())
        return QStringLiteral("is empty");
    qsizetype bytes = 0;
    for (qsizetype i = 0; i < id.size(); ++i) {
        const char16_t c = id[i].unicode();
        if (c < 0x20 || (c >= 0x7F && c <= 0x9F))
            return QStringLiteral("contains control character U+%1 at character %2")
                .arg(QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0')))
                .arg(i + 1);
        if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= id.size() || !QChar::isLowSurrogate(id[i + 1].unicode()))
                return QStringLiteral("contains an unpaired surrogate at character %1").arg(i + 1);
            bytes += 4;
            ++i;
        } else if (QChar::isLowSurrogate(c)) {
            return QStringLiteral("contains an unpaired surrogate at character %1").arg(i + 1);
        } else {
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
        }
    }
    if (bytes > MaxBytes)
        return QStringLiteral("is %1 bytes long (at most %2 bytes of UTF-8)")
            .arg(bytes)
            .arg(MaxBytes);
    return std::nullopt;
}

std::optional<QString> idProblem(QStringView id, QStringView what)
{
    if (auto problem = idProblem(id))
        return what.toString() + QLatin1Char(' ') + *problem;
    return std::nullopt;
}

} // namespace IdCheck
