#include "store/StoreConnection.h"

#include "util/Logging.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

QString driverName(const DbUrl &url)
{
    return url.kind == DbUrl::Kind::Sqlite ? u"QSQLITE"_s : u"QPSQL"_s;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

/// Checks what SQLite would only report as "unable to open database file".
bool checkSqlitePath(const DbUrl &url, QString *error)
{
    const QFileInfo file(url.path);
    const QString folder = file.absolutePath();
    if (file.isDir())
        return fail(error, QStringLiteral("cannot use %1: %2 is a folder, not a database file")
                               .arg(url.redacted(), url.path));
    if (!QDir().mkpath(folder))
        return fail(
            error,
            QStringLiteral("cannot use %1: cannot create folder %2").arg(url.redacted(), folder));
    if (file.exists() && !file.isWritable())
        return fail(error, QStringLiteral("cannot use %1: database file %2 is not writable")
                               .arg(url.redacted(), url.path));
    if (!file.exists() && !QFileInfo(folder).isWritable())
        return fail(
            error,
            QStringLiteral("cannot use %1: folder %2 is not writable").arg(url.redacted(), folder));
    return true;
}

QString sqliteFailure(const DbUrl &url, const QString &driverText)
{
    if (driverText.contains(u"not a database") || driverText.contains(u"malformed"))
        return QStringLiteral("cannot use %1: the file is not a SQLite database or is corrupt "
                              "(%2)")
            .arg(url.redacted(), driverText);
    if (driverText.contains(u"readonly") || driverText.contains(u"read-only"))
        return QStringLiteral("cannot use %1: the database is read-only (%2)")
            .arg(url.redacted(), driverText);
    return QStringLiteral("cannot open %1: %2").arg(url.redacted(), driverText);
}

QString postgresFailure(const DbUrl &url, const QString &driverText)
{
    if (driverText.contains(u"authentication failed") || driverText.contains(u"no password"))
        return QStringLiteral("authentication failed for user '%1' at %2: check the user and "
                              "password (%3)")
            .arg(url.user, url.redacted(), driverText);
    if (driverText.contains(u"database \"") && driverText.contains(u"does not exist"))
        return QStringLiteral("database '%1' does not exist on %2 (%3)")
            .arg(url.database, url.redacted(), driverText);
    if (driverText.contains(u"SSL", Qt::CaseSensitive) ||
        driverText.contains(u"certificate", Qt::CaseInsensitive))
        return QStringLiteral("TLS to PostgreSQL server %1:%2 failed for %3: %4 (check sslmode, "
                              "sslrootcert, sslcert, sslkey in the URL, and PGSSLMODE and the "
                              "other PGSSL* variables in the environment)")
            .arg(url.host)
            .arg(url.port)
            .arg(url.redacted(), driverText);
    static const QRegularExpression unreachable(
        u"could not connect|Connection refused|timeout expired|could not translate host|"
        "No route to host|Network is unreachable|connection to server .* failed"_s);
    if (unreachable.match(driverText).hasMatch())
        return QStringLiteral("cannot reach PostgreSQL server %1:%2 for %3 (%4)")
            .arg(url.host)
            .arg(url.port)
            .arg(url.redacted(), driverText);
    return QStringLiteral("cannot connect to %1: %2").arg(url.redacted(), driverText);
}

/// A libpq conninfo value: QPSQL pastes connect options into the conninfo string as they
/// are, so paths with spaces or quotes must be quoted here. DbUrl refused ';' already
/// (QPSQL turns every ';' into a separator).
QString conninfoValue(const QString &value)
{
    QString quoted = value;
    quoted.replace(u'\\', u"\\\\"_s).replace(u'\'', u"\\'"_s);
    return u'\'' + quoted + u'\'';
}

/// connect_timeout (the URL's, else the setting's), application_name (lets a DBA tell
/// Stickyboard's sessions apart) and the URL's ssl* parameters. What the URL leaves out
/// libpq takes from PGSSLMODE, PGPASSWORD, PGPASSFILE / ~/.pgpass as usual.
QString postgresOptions(const StoreConnection::Settings &s)
{
    QStringList options;
    options << u"connect_timeout=%1"_s.arg(
        s.url.params.value(u"connect_timeout"_s, QString::number(qMax(1, s.connectTimeoutS))));
    options << u"application_name=%1"_s.arg(conninfoValue(s.applicationName));
    for (auto it = s.url.params.cbegin(); it != s.url.params.cend(); ++it) {
        if (it.key() != u"connect_timeout")
            options << it.key() + u'=' + conninfoValue(it.value());
    }
    return options.join(u';');
}

bool configure(QSqlDatabase &db, const StoreConnection::Settings &s, QString *error)
{
    QSqlQuery q(db);
    QStringList statements;
    if (s.readOnly) {
        // Nothing that writes, not even PRAGMA journal_mode: the file is someone else's.
        if (s.url.kind == DbUrl::Kind::Sqlite)
            statements = {u"PRAGMA busy_timeout=%1"_s.arg(s.busyTimeoutMs),
                          u"PRAGMA query_only=1"_s};
        else
            statements = {u"SET client_min_messages TO warning"_s, u"SET TIME ZONE 'UTC'"_s,
                          u"SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"_s};
    } else if (s.url.kind == DbUrl::Kind::Sqlite) {
        // WAL lets readers (watch mode, reports) run beside the writer; NORMAL keeps
        // commits durable against process crashes, which is what the tracker relies on.
        // A large group's dirty pages stay in memory until the commit instead of spilling
        // to the WAL half-way (measured: a fifth of the time): cache_spill lets them grow to
        // 16,383 pages (64 MiB at SQLite's 4 KiB pages) beyond cache_size; not 16,384:
        // SQLite 3.40 also reads N as an on/off flag truncated to a byte, and a multiple of
        // 256 switches spilling off altogether (a huge group would never spill). Clean pages are
        // kept only up to cache_size, SQLite's default 2 MB: a 64 MiB cache_size kept every
        // appended backend_switches page, so RSS rose for hours with the table (the soak
        // bench: +4.4 MiB in 10 minutes); the OS page cache still holds the file.
        statements = {u"PRAGMA journal_mode=WAL"_s, u"PRAGMA synchronous=NORMAL"_s,
                      u"PRAGMA busy_timeout=%1"_s.arg(s.busyTimeoutMs),
                      u"PRAGMA cache_size=-2000"_s, u"PRAGMA cache_spill=16383"_s};
    } else {
        statements = {u"SET client_min_messages TO warning"_s, u"SET TIME ZONE 'UTC'"_s};
        if (!s.pgSchema.isEmpty()) {
            static const QRegularExpression plain(u"^[a-z_][a-z0-9_]{0,62}$"_s);
            if (!plain.match(s.pgSchema).hasMatch())
                return fail(error,
                            QStringLiteral("bad PostgreSQL schema name '%1'").arg(s.pgSchema));
            statements << u"CREATE SCHEMA IF NOT EXISTS %1"_s.arg(s.pgSchema)
                       << u"SET search_path TO %1"_s.arg(s.pgSchema);
        }
    }
    for (const QString &sql : statements) {
        if (!q.exec(sql)) {
            const QString text = StoreConnection::describe(q.lastError(), s.url);
            return fail(error, s.url.kind == DbUrl::Kind::Sqlite
                                   ? sqliteFailure(s.url, text)
                                   : QStringLiteral("cannot set up the connection to %1: %2")
                                         .arg(s.url.redacted(), text));
        }
    }
    return true;
}

} // namespace

namespace StoreConnection {

Dialect dialectOf(const DbUrl &url)
{
    return url.kind == DbUrl::Kind::Sqlite ? Dialect::Sqlite : Dialect::Postgres;
}

QString describe(const QSqlError &error, const DbUrl &url)
{
    // The database's own words; Qt's driver text ("Unable to fetch row") only when none.
    QString text = error.databaseText();
    if (text.trimmed().isEmpty())
        text = error.driverText();
    // PostgreSQL's text spans lines ("ERROR:  ...\nCONTEXT: ..."); logs want one line.
    text = text.simplified();
    if (url.password.size() >= 3) // shorter ones would mangle ordinary words
        text.replace(url.password, u"***"_s);
    return text;
}

bool open(const QString &name, const Settings &s, QString *error)
{
    const QString driver = driverName(s.url);
    if (!QSqlDatabase::isDriverAvailable(driver))
        return fail(error,
                    QStringLiteral("the Qt SQL driver %1 is not installed, needed for %2 "
                                   "(Debian: apt install %3)")
                        .arg(driver, s.url.redacted(),
                             driver == u"QPSQL" ? u"libqt6sql6-psql"_s : u"libqt6sql6-sqlite"_s));
    if (s.url.kind == DbUrl::Kind::Sqlite && !s.url.inMemory) {
        if (s.readOnly && !QFileInfo::exists(s.url.path))
            return fail(error, QStringLiteral("cannot watch %1: the file %2 does not exist")
                                   .arg(s.url.redacted(), s.url.path));
        if (!s.readOnly && !checkSqlitePath(s.url, error))
            return false;
    }

    bool ok = false;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(driver, name);
        if (s.url.kind == DbUrl::Kind::Sqlite) {
            db.setDatabaseName(s.url.inMemory ? u":memory:"_s : s.url.path);
            db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=%1%2"_s.arg(s.busyTimeoutMs)
                                     .arg(s.readOnly ? u";QSQLITE_OPEN_READONLY"_s : QString()));
        } else {
            db.setHostName(s.url.host);
            db.setPort(s.url.port);
            db.setDatabaseName(s.url.database);
            db.setUserName(s.url.user);
            db.setPassword(s.url.password);
            db.setConnectOptions(postgresOptions(s));
        }
        if (!db.open()) {
            const QString text = describe(db.lastError(), s.url);
            fail(error, s.url.kind == DbUrl::Kind::Sqlite ? sqliteFailure(s.url, text)
                                                          : postgresFailure(s.url, text));
        } else {
            ok = configure(db, s, error);
        }
        if (!ok)
            db.close();
    }
    if (!ok)
        QSqlDatabase::removeDatabase(name);
    else
        qCInfo(lcStore) << "connected to" << s.url.redacted();
    return ok;
}

void close(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

bool ping(const QString &name)
{
    QSqlDatabase db = QSqlDatabase::database(name, false);
    if (!db.isOpen())
        return false;
    QSqlQuery q(db);
    return q.exec(u"SELECT 1"_s) && q.next();
}

} // namespace StoreConnection
