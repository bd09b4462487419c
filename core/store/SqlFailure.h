#pragma once

#include "store/Schema.h"

#include <QString>

class QSqlError;

/*!
 * Tells a failed statement that some rows caused (split the group and retry the halves)
 * from one that any statement would hit now (fail the group once: retrying halves of it
 * would only repeat the failure thousands of times). Decided by the database's own codes:
 * SQLite result codes, PostgreSQL SQLSTATE classes; Qt's error type is not reliable (the
 * SQLite driver calls every failed step a connection error).
 */
namespace SqlFailure {

enum class Scope {
    Rows,  ///< a row was refused (constraint, data exception, row too large, trigger)
    Group, ///< the connection, the server or the file: server gone, busy, disk full, ...
};

Scope scopeOf(const QSqlError &error, Dialect dialect);

/// A short explanation for failures whose driver text is cryptic ("the disk is full"),
/// or an empty string.
QString hint(const QSqlError &error, Dialect dialect);

} // namespace SqlFailure
