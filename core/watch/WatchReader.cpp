#include "watch/WatchReader.h"

#include "util/Logging.h"
#include "watch/WatchQueries.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace {

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

bool WatchReader::prepare(QSqlDatabase &db, QString *error)
{
    // Mark where changes start before reading, so nothing written meanwhile is lost: the
    // next poll reads it again, and the diff drops what is already known.
    if (m_kind == DbUrl::Kind::Sqlite) {
        const auto updatedAt = WatchQueries::hasUpdatedAt(db, m_spec, error);
        if (!updatedAt)
            return false;
        m_method = *updatedAt ? Method::PollUpdatedAt : Method::PollFull;
        const auto version = WatchQueries::dataVersion(db, error);
        const auto since = m_method == Method::PollUpdatedAt
                               ? WatchQueries::maxUpdatedAt(db, m_spec, error)
                               : std::optional<QVariant>(QVariant());
        if (!version || !since)
            return false;
        m_dataVersion = *version;
        m_updatedSince = *since;
    } else {
        // xmin is missing on views and foreign tables: compare whole tables there.
        QString why;
        m_xminWorks = WatchQueries::hasXmin(db, m_spec, &why);
        if (!m_xminWorks)
            qCInfo(lcWatch).noquote() << "no xmin on" << m_spec.displayName() << "(" << why
                                      << "): comparing whole tables";
        const auto trigger = WatchQueries::hasNotifyTrigger(db, m_spec, error);
        if (!trigger)
            return false;
        m_method = *trigger ? Method::Notify : (m_xminWorks ? Method::PollXmin : Method::PollFull);
        if (m_xminWorks) {
            const auto snapshot = WatchQueries::xidSnapshot(db, error);
            if (!snapshot)
                return false;
            m_xidBoundary = snapshot->xmin;
            m_snapshot = snapshot->text;
        }
    }
    return true;
}

std::optional<WatchRows> WatchReader::readFirst(QSqlDatabase &db, QString *error)
{
    auto rows = WatchQueries::readAll(db, m_spec, error);
    if (rows)
        m_lastFullReadMs = now();
    return rows;
}

std::optional<WatchRows> WatchReader::poll(QSqlDatabase &db, QString *error)
{
    if (m_kind == DbUrl::Kind::Sqlite)
        return pollSqlite(db, error);
    if (!m_xminWorks)
        return WatchQueries::readAll(db, m_spec, error);
    const auto snapshot = WatchQueries::xidSnapshot(db, error);
    if (!snapshot)
        return std::nullopt;
    // The same running set and the same next id: no transaction that wrote anything (here
    // or in any other table) committed since the last read, so there is nothing to scan.
    if (snapshot->text == m_snapshot)
        return WatchRows();
    auto rows = WatchQueries::readSinceXid(db, m_spec, m_xidBoundary, error);
    if (rows) {
        m_xidBoundary = snapshot->xmin;
        m_snapshot = snapshot->text;
    }
    return rows;
}

std::optional<WatchRows> WatchReader::pollSqlite(QSqlDatabase &db, QString *error)
{
    const auto version = WatchQueries::dataVersion(db, error);
    if (!version)
        return std::nullopt;
    if (*version == m_dataVersion)
        return WatchRows(); // nobody committed since the last read
    const bool compareAll = m_method == Method::PollFull || m_updatedSince.isNull() ||
                            now() - m_lastFullReadMs >= m_fullCompareMs;
    QVariant since = m_updatedSince;
    if (compareAll && m_method == Method::PollUpdatedAt) {
        const auto max = WatchQueries::maxUpdatedAt(db, m_spec, error);
        if (!max)
            return std::nullopt;
        since = *max;
    }
    auto rows = compareAll ? WatchQueries::readAll(db, m_spec, error)
                           : WatchQueries::readSinceUpdatedAt(db, m_spec, &since, error);
    if (rows) {
        m_dataVersion = *version;
        m_updatedSince = since;
        if (compareAll)
            m_lastFullReadMs = now();
    }
    return rows;
}

QString WatchReader::methodText() const
{
    switch (m_method) {
    case Method::Notify:
        return u"LISTEN/NOTIFY"_s;
    case Method::PollXmin:
        return u"polling every %1 ms (xmin)"_s.arg(m_spec.pollMs);
    case Method::PollUpdatedAt:
        return u"polling every %1 ms (updated_at)"_s.arg(m_spec.pollMs);
    case Method::PollFull:
        break;
    }
    return u"polling every %1 ms (whole table)"_s.arg(m_spec.pollMs);
}
