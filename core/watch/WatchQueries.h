#pragma once

#include "store/DbUrl.h"
#include "watch/WatchSpec.h"
#include "watch/WatchTypes.h"

#include <QVariant>

#include <optional>

class QSqlDatabase;

/*!
 * The watcher's SQL, read-only by construction: every statement is a SELECT or a PRAGMA
 * that reads. Names come from a checked WatchSpec and are quoted; values are bound or are
 * numbers we computed. Each call returns nullopt (or false) and sets `error` on failure.
 */
namespace WatchQueries {

/// Checks that the table and columns exist and can be read.
bool check(QSqlDatabase &db, const WatchSpec &spec, QString *error);
/// Whether the table has column `name` (a probe that reads no row).
bool hasColumn(QSqlDatabase &db, const WatchSpec &spec, const QString &name);
/// Every row.
std::optional<WatchRows> readAll(QSqlDatabase &db, const WatchSpec &spec, QString *error);

// --- PostgreSQL ----------------------------------------------------------------------------
/// Whether the trigger from --print-watch-sql is installed and enabled on the table.
std::optional<bool> hasNotifyTrigger(QSqlDatabase &db, const WatchSpec &spec, QString *error);
/// The rows with these ids (one query: `id = ANY($1)`, the ids as one array literal, so
/// PostgreSQL casts them to the id column's type). An id of the wrong type (text for a
/// number column) fails the query: callers then poll instead.
std::optional<WatchRows> readIds(QSqlDatabase &db, const WatchSpec &spec, const QStringList &ids,
                                 QString *error);
/// Whether the relation has the xmin system column (tables do; views do not).
bool hasXmin(QSqlDatabase &db, const WatchSpec &spec, QString *error);
/// The transactions a read now would see, as PostgreSQL puts it (txid_current_snapshot()).
struct XidSnapshot {
    /// The oldest transaction still running (64-bit, epoch included): every transaction below
    /// it has finished, so rows they wrote are visible to any later read.
    qint64 xmin = -1;
    /// `xmin:xmax:running,…`: equal texts mean no transaction that wrote committed between.
    QString text;
};
std::optional<XidSnapshot> xidSnapshot(QSqlDatabase &db, QString *error);
/// Rows written by transactions at or after `boundary` (xmin), plus a few older ones.
/// Fails on relations without xmin (views): callers then compare whole tables.
std::optional<WatchRows> readSinceXid(QSqlDatabase &db, const WatchSpec &spec, qint64 boundary,
                                      QString *error);

// --- SQLite --------------------------------------------------------------------------------
/// PRAGMA data_version: changes whenever another connection commits to the file.
std::optional<qint64> dataVersion(QSqlDatabase &db, QString *error);
/// Whether the table has an `updated_at` column to read changes by.
std::optional<bool> hasUpdatedAt(QSqlDatabase &db, const WatchSpec &spec, QString *error);
/// Rows with updated_at >= `since`, and the largest updated_at among them (or `since`).
std::optional<WatchRows> readSinceUpdatedAt(QSqlDatabase &db, const WatchSpec &spec,
                                            QVariant *since, QString *error);
/// The largest updated_at in the table (null when empty).
std::optional<QVariant> maxUpdatedAt(QSqlDatabase &db, const WatchSpec &spec, QString *error);

} // namespace WatchQueries
