#pragma once

#include "watch/WatchTypes.h"

#include <QSet>
#include <QString>
#include <QStringView>

#include <optional>

/*!
 * Keeps watched rows whose ids follow design.md's rule (non-empty, at most 256 bytes of
 * UTF-8, no NUL or other control character) and skips the others, with one warning per id:
 * a table polled every second would otherwise repeat the same warning forever.
 */
class WatchRowFilter {
public:
    /// Why `id` is not a valid id, or nullopt when it is one.
    static std::optional<QString> idProblem(QStringView id);
    /// The id as a log line may show it: control characters escaped, long ids cut short.
    static QString printable(QStringView id);

    /// `rows` without those with an invalid job, worker or backend id (a null worker or
    /// backend is no id and stays: the job is not resolved yet).
    WatchRows keepValid(const WatchRows &rows);
    /// Ids warned about so far (bounded: see MaxRemembered).
    qsizetype warnedCount() const { return m_warned.size(); }

private:
    /// Past this many distinct bad ids, later ones are skipped without a warning each.
    static constexpr qsizetype MaxRemembered = 10'000;
    QSet<QString> m_warned;
    bool m_saidEnough = false;
};
