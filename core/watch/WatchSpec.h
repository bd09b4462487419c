#pragma once

#include <QString>

/*!
 * How `--watch` maps an existing table: its name (optionally `schema.table`) and the
 * columns holding the job id, the persisted backend and, optionally, the worker.
 * Names are taken as exact identifiers and always quoted in SQL, so no input becomes SQL.
 */
struct WatchSpec {
    /// The NOTIFY channel the printed trigger uses (lower case: the driver quotes it).
    static constexpr const char *Channel = "stickyboard_watch";

    QString schema; ///< empty: the connection's search_path (PostgreSQL) or main (SQLite)
    QString table = QStringLiteral("jobs");
    QString idColumn = QStringLiteral("id");
    QString backendColumn = QStringLiteral("last_backend_id");
    QString workerColumn; ///< empty: workers are unknown
    /// False until --watch-columns named the columns: the watcher then also reads a
    /// `worker_id` column when the table has one.
    bool columnsGiven = false;
    int pollMs = 1000;

    /// `--watch-table`: `name` or `schema.name`; false with `error` naming the bad part.
    bool setTable(const QString &text, QString *error);
    /// `--watch-columns`: `id,backend[,worker]`.
    bool setColumns(const QString &text, QString *error);

    /// `"schema"."table"` or `"table"`, for SQL.
    QString qualifiedTable() const;
    /// The table as people read it: `schema.table` or `table`.
    QString displayName() const;
    static QString quote(const QString &identifier);

    /// The PostgreSQL function and trigger that NOTIFY `Channel` on every change of the
    /// backend column, with a JSON payload {"schema","table","job","backend","worker"}.
    QString postgresTriggerSql() const;
    /// The trigger's name on the table; the watcher looks for it to choose LISTEN.
    static QString triggerName() { return QStringLiteral("stickyboard_watch"); }
};
