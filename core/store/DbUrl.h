#pragma once

#include <QString>

#include <optional>

/*!
 * A database location from the command line:
 * `sqlite:PATH`, `sqlite::memory:`, `postgresql://user:pass@host:port/db`.
 * The password never leaves this struct except to the driver: use redacted() for text.
 */
struct DbUrl {
    enum class Kind { Sqlite, Postgres };

    Kind kind = Kind::Sqlite;
    QString path; ///< SQLite file; empty when inMemory
    bool inMemory = false;
    QString host; ///< PostgreSQL
    int port = 5432;
    QString user;
    QString password;
    QString database;

    /// Parses `text`; on failure returns nullopt and sets `error` to a message naming the bad part.
    static std::optional<DbUrl> parse(const QString &text, QString *error);
    /// `sqlite:<AppDataLocation>/stickyboard.db`, creating the folder.
    static DbUrl defaultSqlite();
    /// The URL as text with the password replaced by `***`: safe for logs, UI and reports.
    QString redacted() const;
};
