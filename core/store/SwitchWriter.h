#pragma once

#include "tracker/PersistTarget.h"

#include <QHash>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <map>

/*!
 * Writes one group of backend writes inside the caller's open transaction, as fast as the
 * driver allows: prepared multi-row statements (chunks of 64, 16, 4 and 1 rows) kept for
 * the life of the connection, and worker/backend rows inserted only the first time an id
 * is seen. Lives on the store thread; reset() before the connection closes.
 */
class SwitchWriter {
public:
    explicit SwitchWriter(QString connectionName);

    /// Writes jobs upserts, switch rows and missing worker/backend rows for `writes`.
    /// `updatedAt` (ISO UTC) is the time of the transaction that will commit them: it goes
    /// to jobs.updated_at, so a watcher polling by it never misses a write that was handed
    /// out early and committed late. Switch rows keep each write's own time.
    bool write(const QList<const PersistWrite *> &writes, const QString &updatedAt,
               QSqlError *error);
    /// ISO UTC text of `atMs` (now when 0 or less), as the store binds timestamps.
    QString timestamp(qint64 atMs);
    /// The transaction committed: ids inserted by it are known from now on.
    void committed();
    /// The transaction rolled back: forget what it inserted.
    void rolledBack();
    /// A row made elsewhere on this connection (setBackendState).
    void markBackendKnown(const QString &id) { m_knownBackends.insert(id); }
    /// Drops the prepared statements (before the connection closes or reconnects).
    void reset() { m_statements.clear(); }

private:
    enum Table { Jobs, Switches, Workers, Backends };
    QSqlQuery *statement(Table table, int rows, QSqlError *error);
    /// Inserts the rows laid out flat in `values`, in chunks.
    bool insertRows(Table table, const QVariantList &values, QSqlError *error);

    QString m_connection;
    std::map<std::pair<int, int>, QSqlQuery> m_statements;
    QSet<QString> m_knownWorkers, m_knownBackends;
    QSet<QString> m_newWorkers, m_newBackends;
    qint64 m_lastMs = -1;
    QString m_lastStamp;
};
