#pragma once

#include <QMap>
#include <QString>

#include <optional>

/*!
 * A database location from the command line:
 * `sqlite:PATH`, `sqlite::memory:`, `postgresql://user:pass@host:port/db[?PARAMS]`.
 * The password never leaves this struct except to the driver: use redacted() for text,
 * and every parse error quotes the input only after redactText() hid the password, however
 * malformed it is. PostgreSQL PARAMS are `sslmode`, `sslrootcert`, `sslcert`, `sslkey` and
 * `connect_timeout` (libpq's keywords); others are refused by name. Without a password or
 * sslmode libpq falls back to PGPASSWORD, PGPASSFILE / ~/.pgpass and PGSSLMODE.
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
    /// PostgreSQL URL parameters, percent-decoded, keyed by libpq keyword (see knownParams()).
    QMap<QString, QString> params;

    /// Parses `text`; on failure returns nullopt and sets `error` to a message naming the bad part.
    static std::optional<DbUrl> parse(const QString &text, QString *error);
    /// `sqlite:<AppDataLocation>/stickyboard.db`, creating the folder.
    static DbUrl defaultSqlite();
    /// The URL as text with the password replaced by `***`: safe for logs, UI and reports.
    QString redacted() const;
    /// Hides whatever could be a password in `text`, which need not parse: everything from
    /// the first ':' of the user part up to the last '@', a `password=` value, and a "port"
    /// that is no number in a URL without '@' (`postgresql://user:secret/db`).
    static QString redactText(const QString &text);
    /// The query parameters parse() accepts for PostgreSQL.
    static const QStringList &knownParams();
};
