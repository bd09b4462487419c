#include "watch/WatchRowFilter.h"

#include "util/IdCheck.h"
#include "util/Logging.h"

#include <utility>

using namespace Qt::StringLiterals;

// The rule is the one for every id that enters (util/IdCheck.h).
std::optional<QString> WatchRowFilter::idProblem(QStringView id)
{
    return IdCheck::idProblem(id);
}

QString WatchRowFilter::printable(QStringView id)
{
    QString out;
    const qsizetype shown = qMin<qsizetype>(id.size(), 40);
    for (qsizetype i = 0; i < shown; ++i) {
        const QChar c = id.at(i);
        const char16_t u = c.unicode();
        if (u < 0x20 || (u >= 0x7f && u <= 0x9f))
            out += u"\\u%1"_s.arg(uint(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    if (shown < id.size())
        out += u"… (%1 characters)"_s.arg(id.size());
    return u'\'' + out + u'\'';
}

WatchRows WatchRowFilter::keepValid(const WatchRows &rows)
{
    WatchRows kept;
    kept.reserve(rows.size());
    for (const WatchRow &row : rows) {
        std::optional<QString> problem;
        QString what;
        if ((problem = idProblem(row.job)))
            what = u"job id"_s;
        else if (!row.worker.isNull() && (problem = idProblem(row.worker)))
            what = u"worker id"_s;
        else if (!row.backend.isNull() && (problem = idProblem(row.backend)))
            what = u"backend id"_s;
        if (!problem) {
            kept.append(row);
            continue;
        }
        if (m_warned.contains(row.job))
            continue;
        if (m_warned.size() >= MaxRemembered) {
            if (!std::exchange(m_saidEnough, true))
                qCWarning(lcWatch).noquote()
                    << "more than" << MaxRemembered
                    << "watched rows with invalid ids: further ones are skipped silently";
            continue;
        }
        m_warned.insert(row.job);
        qCWarning(lcWatch).noquote() << u"skipped the watched row of job %1: its %2 %3"_s.arg(
            printable(row.job), what, *problem);
    }
    return kept;
}
