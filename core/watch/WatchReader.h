#pragma once

#include "store/DbUrl.h"
#include "watch/WatchSpec.h"
#include "watch/WatchTypes.h"

#include <QVariant>

#include <optional>

class QSqlDatabase;

/*!
 * How the watcher reads a table: the method chosen when it connects, and the marks that
 * keep polls incremental. PostgreSQL: NOTIFY when the trigger of --print-watch-sql is
 * installed, else rows by xmin (a transaction-id boundary taken before each read, so a
 * transaction open across polls is read once it commits), and no read at all while the
 * server's transaction snapshot stands still. SQLite: no read at all while
 * `PRAGMA data_version` stands still, then rows by `updated_at` (with a whole compare every
 * 30 s for writers whose stamps lag) when the table has one. Everything else: the whole
 * table. Reads may return rows already seen; the caller's diff drops them.
 */
class WatchReader {
public:
    enum class Method { Notify, PollXmin, PollUpdatedAt, PollFull };

    WatchReader(DbUrl::Kind kind, const WatchSpec &spec) : m_kind(kind), m_spec(spec) {}

    /// Chooses the method and marks where changes start. Errors carry the database's words
    /// only; the caller says which table and database. The caller LISTENs (method() Notify)
    /// between this and readFirst(), so a change committed meanwhile is announced.
    bool prepare(QSqlDatabase &db, QString *error);
    /// The first read: every row.
    std::optional<WatchRows> readFirst(QSqlDatabase &db, QString *error);
    /// What changed since the last read (and a few rows more).
    std::optional<WatchRows> poll(QSqlDatabase &db, QString *error);

    Method method() const { return m_method; }
    /// SQLite with updated_at: how often a poll compares the whole table anyway (default
    /// 30 s), for writers whose stamps lag behind their commits.
    void setFullCompareIntervalMs(int ms) { m_fullCompareMs = ms; }
    /// "LISTEN/NOTIFY", "polling every 1000 ms (xmin)", …
    QString methodText() const;

private:
    std::optional<WatchRows> pollSqlite(QSqlDatabase &db, QString *error);

    const DbUrl::Kind m_kind;
    const WatchSpec &m_spec;
    Method m_method = Method::PollFull;
    bool m_xminWorks = false;
    qint64 m_xidBoundary = -1; ///< PostgreSQL: transactions below it have been read
    QString m_snapshot;        ///< PostgreSQL: txid_current_snapshot() before the last read
    qint64 m_dataVersion = -1; ///< SQLite: data_version at the last read
    QVariant m_updatedSince;   ///< SQLite: the largest updated_at read so far
    qint64 m_lastFullReadMs = 0;
    int m_fullCompareMs = 30'000;
};
