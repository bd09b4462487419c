#include "store/GroupCommit.h"

#include "store/SqlFailure.h"
#include "store/StoreConnection.h"
#include "store/SwitchWriter.h"
#include "util/IdCheck.h"
#include "util/Logging.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>

using namespace Qt::StringLiterals;

namespace {

/// Ids are shown in messages; a hostile one must not flood a log line.
QString shortId(const QString &id)
{
    return id.size() <= 64 ? id : id.left(60) + u"… (%1 characters)"_s.arg(id.size());
}

/// The store's last guard: a write the database would refuse for its ids, or whose NUL
/// would cut the PostgreSQL driver's SQL text, fails alone before any SQL runs.
std::optional<QString> writeProblem(const PersistWrite &w)
{
    if (auto p = IdCheck::idProblem(w.jobId, u"job id"))
        return p;
    if (!w.workerId.isEmpty())
        if (auto p = IdCheck::idProblem(w.workerId, u"worker id"))
            return p;
    if (auto p = IdCheck::idProblem(w.toBackend, u"backend id"))
        return p;
    if (!w.fromBackend.isEmpty())
        if (auto p = IdCheck::idProblem(w.fromBackend, u"previous backend id"))
            return p;
    if (w.cacheKey.contains(QChar(0)))
        return u"cache key contains NUL, which the database cannot store"_s;
    return std::nullopt;
}

} // namespace

GroupCommit::GroupCommit(QString connectionName, DbUrl url, int busyTimeoutMs, SwitchWriter *writer,
                         Hooks hooks)
    : m_connection(std::move(connectionName)), m_url(std::move(url)),
      m_dialect(StoreConnection::dialectOf(m_url)), m_busyTimeoutMs(busyTimeoutMs),
      m_writer(writer), m_hooks(std::move(hooks))
{}

PersistResults GroupCommit::commit(const QList<const PersistWrite *> &writes)
{
    Outcomes outcomes;
    outcomes.reserve(writes.size());
    Span valid;
    valid.reserve(writes.size());
    for (const PersistWrite *w : writes) {
        if (const auto problem = writeProblem(*w))
            outcomes.insert(w, {false, sentence(1, w, *problem)});
        else
            valid.append(w);
    }
    QString groupError;
    for (qsizetype from = 0; from < valid.size(); from += MaxWrites) {
        if (!run(valid.mid(from, MaxWrites), outcomes, &groupError))
            break; // the rest fails with the same error, without trying
    }
    PersistResults results;
    results.reserve(writes.size());
    qsizetype unsettled = 0;
    for (const PersistWrite *w : writes) {
        const auto it = outcomes.constFind(w);
        if (it != outcomes.constEnd()) {
            results.append(*it);
        } else {
            ++unsettled;
            results.append({false, QString()});
        }
    }
    if (unsettled > 0) {
        // One failure for the rest of the group, said once, not once per write.
        const QString error = sentence(unsettled, nullptr, groupError);
        qCWarning(lcStore).noquote() << error;
        for (PersistOutcome &o : results)
            if (!o.ok && o.error.isEmpty())
                o.error = error;
    }
    return results;
}

bool GroupCommit::run(const Span &writes, Outcomes &out, QString *groupError)
{
    const Attempt a = attempt(writes);
    switch (a.result) {
    case Result::Committed:
        for (const PersistWrite *w : writes)
            out.insert(w, {true, QString()});
        return true;
    case Result::GroupError:
        *groupError = a.error;
        return false;
    case Result::Unknown:
        return settleByReadBack(writes, out, a.error, groupError);
    case Result::RowError:
        break;
    }
    if (writes.size() == 1) {
        const QString error = sentence(1, writes.first(), a.error);
        qCWarning(lcStore).noquote() << error;
        out.insert(writes.first(), {false, error});
        return true;
    }
    qCDebug(lcStore) << "a row of" << writes.size() << "writes was refused; splitting";
    const qsizetype half = writes.size() / 2;
    return run(writes.first(half), out, groupError) && run(writes.sliced(half), out, groupError);
}

GroupCommit::Attempt GroupCommit::attempt(const Span &writes)
{
    ++m_counters.transactions;
    QSqlQuery tx(QSqlDatabase::database(m_connection, false));
    if (!Schema::begin(tx, m_dialect)) {
        QString error = describe(tx.lastError());
        if (m_dialect == Dialect::Sqlite && error.contains(u"locked"))
            error += u" (another connection held the write lock longer than the busy timeout "
                     "of %1 ms)"_s.arg(m_busyTimeoutMs);
        return {Result::GroupError, error};
    }
    // Stamped after BEGIN (SQLite: after the write lock is ours), so updated_at follows
    // commit order however long the write waited before.
    const QString stamp = m_writer->timestamp(0);
    QSqlError statementError;
    if (!m_writer->write(writes, stamp, &statementError)) {
        Schema::rollback(tx);
        m_writer->rolledBack();
        const bool rows = SqlFailure::scopeOf(statementError, m_dialect) == SqlFailure::Scope::Rows;
        return {rows ? Result::RowError : Result::GroupError, describe(statementError)};
    }
    if (!tx.exec(u"COMMIT"_s)) {
        const QSqlError commitError = tx.lastError();
        Schema::rollback(tx);
        m_writer->rolledBack(); // safe either way: missing rows are inserted again if needed
        const bool rows = SqlFailure::scopeOf(commitError, m_dialect) == SqlFailure::Scope::Rows;
        return {rows ? Result::RowError : Result::Unknown, describe(commitError)};
    }
    m_writer->committed();
    m_counters.largest = qMax(m_counters.largest, quint64(writes.size()));
    return {Result::Committed, QString()};
}

bool GroupCommit::settleByReadBack(const Span &writes, Outcomes &out, const QString &commitError,
                                   QString *error)
{
    const qint64 oldPid = m_hooks.backendPid ? m_hooks.backendPid() : 0;
    QString reconnectError;
    if (!m_hooks.reconnect(&reconnectError)) {
        *error = u"COMMIT failed (%1) and its outcome is unknown: the rows cannot be read back "
                 "(%2)"_s.arg(commitError, reconnectError);
        return false;
    }
    if (m_dialect == Dialect::Postgres && oldPid > 0 && m_hooks.backendPid() != oldPid)
        waitForBackendGone(oldPid);

    QHash<QString, QString> wanted; // job -> the backend this group leaves it on
    for (const PersistWrite *w : writes)
        wanted.insert(w->jobId, w->toBackend);
    const QStringList jobs = wanted.keys();
    QHash<QString, QString> held;
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    constexpr qsizetype kChunk = 500;
    for (qsizetype from = 0; from < jobs.size(); from += kChunk) {
        const QStringList part = jobs.mid(from, kChunk);
        QStringList marks(part.size(), u"?"_s);
        if (!q.prepare(
                u"SELECT id, last_backend_id FROM jobs WHERE id IN (%1)"_s.arg(marks.join(u','))))
            break;
        for (const QString &id : part)
            q.addBindValue(id);
        if (!q.exec()) {
            *error = u"COMMIT failed (%1) and its outcome is unknown: reading the rows back "
                     "failed too (%2)"_s.arg(commitError, describe(q.lastError()));
            return false;
        }
        while (q.next())
            held.insert(q.value(0).toString(), q.value(1).toString());
    }
    int committed = 0;
    for (const PersistWrite *w : writes) {
        const auto it = held.constFind(w->jobId);
        if (it != held.constEnd() && *it == wanted.value(w->jobId)) {
            out.insert(w, {true, QString()});
            ++committed;
        } else {
            out.insert(w, {false, sentence(1, w,
                                           u"COMMIT failed (%1) and the table does not hold "
                                           "this change"_s.arg(commitError))});
        }
    }
    qCWarning(lcStore).noquote() << u"COMMIT of %1 write(s) to %2 failed (%3); read back: %4 "
                                    "committed, %5 not"_s.arg(writes.size())
                                        .arg(m_url.redacted(), commitError)
                                        .arg(committed)
                                        .arg(writes.size() - committed);
    return true;
}

void GroupCommit::waitForBackendGone(qint64 pid)
{
    QSqlQuery q(QSqlDatabase::database(m_connection, false));
    auto alive = [&] {
        q.prepare(u"SELECT 1 FROM pg_stat_activity WHERE pid = ?"_s);
        q.addBindValue(pid);
        return q.exec() && q.next();
    };
    // A cut connection ends its backend within milliseconds; one that is black-holed may
    // sit idle in its transaction for hours: end it, so its outcome is final either way.
    QDeadlineTimer patience(2000);
    while (alive() && !patience.hasExpired())
        QThread::msleep(20);
    if (!alive())
        return;
    qCWarning(lcStore) << "ending the PostgreSQL session" << pid << "that lost its COMMIT";
    q.prepare(u"SELECT pg_terminate_backend(?)"_s);
    q.addBindValue(pid);
    q.exec();
    QDeadlineTimer ending(3000);
    while (alive() && !ending.hasExpired())
        QThread::msleep(20);
}

QString GroupCommit::describe(const QSqlError &error) const
{
    QString text = StoreConnection::describe(error, m_url);
    const QString hint = SqlFailure::hint(error, m_dialect);
    if (!hint.isEmpty())
        text += u" (%1)"_s.arg(hint);
    return text;
}

QString GroupCommit::sentence(qsizetype count, const PersistWrite *only,
                              const QString &reason) const
{
    if (only)
        return u"could not write backend %1 of job '%2' to %3: %4"_s.arg(
            shortId(only->toBackend), shortId(only->jobId), m_url.redacted(), reason);
    return u"could not write %1 backend change(s) to %2: %3"_s.arg(count).arg(m_url.redacted(),
                                                                              reason);
}
