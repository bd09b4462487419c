#pragma once

#include <QString>

class QSqlDatabase;
class QSqlQuery;

/// The two SQL dialects the store speaks. Differences are kept in Schema.cpp.
enum class Dialect { Sqlite, Postgres };

/*!
 * The versioned schema and the few dialect differences of the store.
 *
 * Timestamps (`jobs.updated_at`, `backend_switches.at`) are ISO-8601 UTC text
 * ("2024-05-01T12:00:00.000Z") in SQLite and `timestamptz` in PostgreSQL. The store binds
 * the same ISO text for both: PostgreSQL infers the parameter type from the column.
 */
namespace Schema {

/// Opens a write transaction. SQLite takes the write lock up front (BEGIN IMMEDIATE), so a
/// busy database fails here after the busy timeout instead of half-way through.
bool begin(QSqlQuery &query, Dialect dialect);
/// Rolls back; failures are ignored because the caller already reports the first error.
void rollback(QSqlQuery &query);

/// Creates a fresh schema or migrates an older one inside one transaction, never dropping
/// data. Returns an empty string on success, else a sentence naming the problem.
QString migrate(QSqlDatabase &db, Dialect dialect, int ourVersion);

} // namespace Schema
