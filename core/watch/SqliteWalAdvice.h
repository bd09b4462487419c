#pragma once

#include "store/DbUrl.h"

#include <QString>

/*!
 * A reader of a SQLite database in WAL mode needs the `-shm` index beside the file (SQLite
 * creates it, and an empty `-wal`, when absent; neither ever holds Stickyboard's data).
 * Where the watching user cannot create it, SQLite only says "attempt to write a readonly
 * database": this says what to do instead.
 */
namespace SqliteWalAdvice {

/// The sentence for a failed read of `url` with SQLite's `driverText`; empty when the
/// failure has another cause.
QString forReadFailure(const DbUrl &url, const QString &driverText);

} // namespace SqliteWalAdvice
