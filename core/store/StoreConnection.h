#pragma once

#include "store/DbUrl.h"
#include "store/Schema.h"

#include <QString>

class QSqlError;

/*!
 * Opening and closing the store's one connection, on the thread that uses it (Qt 6.4
 * cannot move connections between threads). Errors are sentences that name the problem
 * and the URL without its password.
 */
namespace StoreConnection {

struct Settings {
    DbUrl url;
    int busyTimeoutMs = 5000;
    int connectTimeoutS = 5;
    QString pgSchema; ///< PostgreSQL schema to use instead of the search_path default
    /// Watch mode: SQLite opened read-only (no WAL switch, nothing created), PostgreSQL
    /// sessions read-only, so no statement on this connection can write.
    bool readOnly = false;
    QString applicationName = QStringLiteral("stickyboard"); ///< PostgreSQL pg_stat_activity
};

Dialect dialectOf(const DbUrl &url);

/// Adds and opens connection `name`, then applies the per-connection settings
/// (SQLite WAL and busy timeout; PostgreSQL UTC and schema). Removes it again on failure.
bool open(const QString &name, const Settings &settings, QString *error);
/// Closes and removes connection `name`. Callers must have destroyed its queries.
void close(const QString &name);
/// A cheap round trip that tells whether the connection still works.
bool ping(const QString &name);

/// The driver's text for `error`, with the password removed should a driver echo it.
QString describe(const QSqlError &error, const DbUrl &url);

} // namespace StoreConnection
