#pragma once

#include "store/DbUrl.h"
#include "store/Schema.h"
#include "tracker/PersistTarget.h"

#include <QHash>
#include <QList>
#include <QSqlError>

#include <functional>

class SwitchWriter;

/*!
 * Commits one group of writes so that writes cannot poison each other, on the store thread.
 *
 * - A transaction holds at most MaxWrites writes; longer groups become several.
 * - A statement error caused by rows (SqlFailure::Scope::Rows) splits the transaction in
 *   halves that are retried, down to single writes: only writes that fail on their own
 *   fail, each with the database's reason.
 * - Any other failure (server gone, busy, disk full) fails what is left of the group once.
 * - When COMMIT itself fails, its outcome is unknown (PostgreSQL may have committed before
 *   the connection dropped): the rows are read back once, after reconnecting, and each
 *   write is settled by what the table holds, so the tracker's value equals the table's.
 */
class GroupCommit {
public:
    /// At most this many writes per transaction: bounds the time the write lock is held,
    /// the memory of one statement batch, and what one failure can take down.
    static constexpr qsizetype MaxWrites = 4096;

    struct Hooks {
        /// Makes sure a working connection exists (reconnecting if the old one is dead).
        std::function<bool(QString *error)> reconnect;
        /// PostgreSQL: the server pid of the current connection's backend (0 if unknown).
        std::function<qint64()> backendPid;
    };
    struct Counters {
        quint64 transactions = 0;
        quint64 largest = 0; ///< most writes committed in one transaction
    };

    GroupCommit(QString connectionName, DbUrl url, int busyTimeoutMs, SwitchWriter *writer,
                Hooks hooks);

    /// Outcomes in the order of `writes`.
    PersistResults commit(const QList<const PersistWrite *> &writes);
    Counters &counters() { return m_counters; }

private:
    enum class Result { Committed, RowError, GroupError, Unknown };
    struct Attempt {
        Result result = Result::Committed;
        QString error;
    };
    using Span = QList<const PersistWrite *>;

    /// One transaction for `writes`; never retries.
    Attempt attempt(const Span &writes);
    using Outcomes = QHash<const PersistWrite *, PersistOutcome>;

    /// attempt(), splitting on row errors; settles into `out`. False once a group-level
    /// failure ended the whole group (then `*groupError` says why).
    bool run(const Span &writes, Outcomes &out, QString *groupError);
    /// Settles `writes` by the jobs rows the table holds; false when they cannot be read.
    bool settleByReadBack(const Span &writes, Outcomes &out, const QString &commitError,
                          QString *error);
    /// PostgreSQL: waits (bounded) until the backend that got COMMIT has ended, so the
    /// read-back sees its outcome and not a transaction still finishing.
    void waitForBackendGone(qint64 pid);
    QString describe(const QSqlError &error) const;
    QString sentence(qsizetype count, const PersistWrite *only, const QString &reason) const;

    QString m_connection;
    DbUrl m_url;
    Dialect m_dialect;
    int m_busyTimeoutMs;
    SwitchWriter *m_writer;
    Hooks m_hooks;
    Counters m_counters;
};
