#pragma once

// Shared by the store tests: PostgreSQL settings from the environment (see
// tests/support/pg-throwaway.sh), a direct connection beside the store's, and bounded waits.

#include "store/DbUrl.h"
#include "store/JobStore.h"
#include "store/StoreError.h"

#include <QFuture>
#include <QHash>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>

#include <optional>

namespace StoreTest {

/// STICKYBOARD_TEST_PG_URL parsed, or nullopt when it is unset.
inline std::optional<DbUrl> pgUrl()
{
    const QString text = qEnvironmentVariable("STICKYBOARD_TEST_PG_URL");
    if (text.isEmpty())
        return std::nullopt;
    QString error;
    auto url = DbUrl::parse(text, &error);
    if (!url)
        qFatal("STICKYBOARD_TEST_PG_URL: %s", qPrintable(error));
    return url;
}

/// Why PostgreSQL tests cannot run; CI must not silently skip them.
inline QString pgMissingReason()
{
    return QStringLiteral("STICKYBOARD_TEST_PG_URL is unset; run: eval \"$(tests/support/"
                          "pg-throwaway.sh start /tmp/sb-pg)\"");
}
#define STORE_REQUIRE_PG()                                                                         \
    do {                                                                                           \
        if (!StoreTest::pgUrl()) {                                                                 \
            if (qEnvironmentVariable("CI") == QLatin1String("true"))                               \
                QFAIL(qPrintable(StoreTest::pgMissingReason()));                                   \
            QSKIP(qPrintable(StoreTest::pgMissingReason()));                                       \
        }                                                                                          \
    } while (false)

inline QString uniqueSchema()
{
    return QStringLiteral("sbt_%1").arg(QRandomGenerator::global()->generate64(), 0, 16);
}

/// A second connection on the test thread, as another program would have.
inline QSqlDatabase openDirect(const QString &name, const DbUrl &url, const QString &pgSchema = {})
{
    QSqlDatabase db;
    if (url.kind == DbUrl::Kind::Sqlite) {
        db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(url.path);
    } else {
        db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
        db.setHostName(url.host);
        db.setPort(url.port);
        db.setDatabaseName(url.database);
        db.setUserName(url.user);
        db.setPassword(url.password);
    }
    if (!db.open())
        qWarning() << "direct connection failed:" << db.lastError().text();
    QSqlQuery q(db);
    if (url.kind == DbUrl::Kind::Postgres) {
        q.exec(QStringLiteral("SET client_min_messages TO warning"));
        if (!pgSchema.isEmpty()) {
            q.exec(QStringLiteral("CREATE SCHEMA IF NOT EXISTS %1").arg(pgSchema));
            q.exec(QStringLiteral("SET search_path TO %1").arg(pgSchema));
        }
    }
    return db;
}

inline void closeDirect(const QString &name)
{
    {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

/// Runs `pg-throwaway.sh VERB DIR` (pause, resume), the way an operator stops the server.
inline bool pgControl(const QString &verb)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(QStringLiteral("bash"), {qEnvironmentVariable("STICKYBOARD_TEST_PG_CTL"), verb,
                                     qEnvironmentVariable("STICKYBOARD_TEST_PG_DATA")});
    return p.waitForFinished(90000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

/// A direct connection that closes itself; for schemas made by hand and lock holders.
class DirectDb {
public:
    DirectDb(const DbUrl &url, const QString &pgSchema = {},
             const QString &name = QStringLiteral("direct"))
        : m_name(name)
    {
        openDirect(m_name, url, pgSchema);
    }
    ~DirectDb() { closeDirect(m_name); }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql) const
    {
        QSqlQuery q(db());
        if (q.exec(sql))
            return true;
        qWarning() << "direct SQL failed:" << sql << q.lastError().text();
        return false;
    }
    /// The first column of the first row, or an invalid QVariant.
    QVariant scalar(const QString &sql) const
    {
        QSqlQuery q(db());
        if (q.exec(sql) && q.next())
            return q.value(0);
        return {};
    }

private:
    QString m_name;
};

/// job id -> jobs.last_backend_id, read over a connection of its own.
inline QHash<QString, QString> tableBackends(const DbUrl &url, const QString &schema = {})
{
    QHash<QString, QString> out;
    DirectDb d(url, schema, QStringLiteral("read"));
    QSqlQuery q(d.db());
    q.exec(QStringLiteral("SELECT id, last_backend_id FROM jobs"));
    while (q.next())
        out.insert(q.value(0).toString(), q.value(1).toString());
    return out;
}

inline void dropSchema(const DbUrl &url, const QString &schema)
{
    {
        QSqlDatabase db = openDirect(QStringLiteral("drop-schema"), url);
        QSqlQuery q(db);
        q.exec(QStringLiteral("DROP SCHEMA IF EXISTS %1 CASCADE").arg(schema));
    }
    closeDirect(QStringLiteral("drop-schema"));
}

/// Waits for `future` with a bound, so a broken store fails the test instead of hanging it.
template <typename T> bool settles(const QFuture<T> &future, int ms = 20000)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, ms);
}

/// The StoreError message of a failed future; empty when it succeeded.
template <typename T> QString errorOf(QFuture<T> future)
{
    try {
        future.waitForFinished();
        return {};
    } catch (const StoreError &e) {
        return e.message();
    }
}

inline PersistWrite write(const QString &job, const QString &worker, const QString &from,
                          const QString &to, const QString &cacheKey = {})
{
    return PersistWrite{job, worker, from, to, cacheKey, 1'700'000'000'000};
}

} // namespace StoreTest
