#include "store/StoreReads.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

bool failed(const QSqlQuery &q, QString *error)
{
    *error = q.lastError().databaseText().trimmed();
    if (error->isEmpty())
        *error = q.lastError().text();
    return false;
}

/// SQLite hands back the ISO text we stored, PostgreSQL a QDateTime from timestamptz.
QDateTime toUtc(const QVariant &value)
{
    if (value.isNull())
        return {};
    if (value.metaType() == QMetaType::fromType<QDateTime>())
        return value.toDateTime().toUTC();
    return QDateTime::fromString(value.toString(), Qt::ISODateWithMs).toUTC();
}

bool run(QSqlQuery &q, const QString &sql, QString *error)
{
    q.setForwardOnly(true);
    return q.exec(sql) || failed(q, error);
}

} // namespace

namespace StoreReads {

std::optional<StoreSnapshot> snapshot(QSqlDatabase &db, QString *error)
{
    StoreSnapshot s;
    QSqlQuery q(db);
    if (!run(q, u"SELECT id, worker_id, status, last_backend_id FROM jobs ORDER BY id"_s, error))
        return std::nullopt;
    while (q.next())
        s.jobs.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                       q.value(3).toString()});
    if (!run(q, u"SELECT id, name FROM workers ORDER BY id"_s, error))
        return std::nullopt;
    while (q.next())
        s.workers.append({q.value(0).toString(), q.value(1).toString()});
    if (!run(q, u"SELECT id, name, state FROM backends ORDER BY id"_s, error))
        return std::nullopt;
    while (q.next())
        s.backends.append({q.value(0).toString(), q.value(1).toString(), q.value(2).toString()});
    return s;
}

std::optional<QList<SwitchRecord>> switchHistory(QSqlDatabase &db, const QString &jobId,
                                                 qint64 beforeId, int limit, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    const QString sql = u"SELECT id, job_id, from_backend, to_backend, cache_key, at"
                        " FROM backend_switches WHERE job_id = ?%1 ORDER BY id DESC LIMIT ?"_s;
    if (!q.prepare(sql.arg(beforeId > 0 ? u" AND id < ?"_s : QString())))
        return (failed(q, error), std::nullopt);
    q.addBindValue(jobId);
    if (beforeId > 0)
        q.addBindValue(beforeId);
    q.addBindValue(qMax(0, limit));
    if (!q.exec())
        return (failed(q, error), std::nullopt);
    QList<SwitchRecord> records;
    while (q.next())
        records.append({q.value(0).toLongLong(), q.value(1).toString(), q.value(2).toString(),
                        q.value(3).toString(), q.value(4).toString(), toUtc(q.value(5))});
    return records;
}

std::optional<QHash<QString, QString>> jobBackends(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    if (!run(q, u"SELECT id, last_backend_id FROM jobs"_s, error))
        return std::nullopt;
    QHash<QString, QString> result;
    while (q.next())
        result.insert(q.value(0).toString(), q.value(1).toString());
    return result;
}

bool setBackendState(QSqlDatabase &db, const QString &backendId, const QString &state,
                     QString *error)
{
    if (state != u"online" && state != u"saturated" && state != u"offline") {
        *error = QStringLiteral("unknown backend state '%1' (use online, saturated or offline)")
                     .arg(state);
        return false;
    }
    QSqlQuery q(db);
    if (!q.prepare(u"INSERT INTO backends (id, name, state) VALUES (?, ?, ?)"
                   " ON CONFLICT (id) DO UPDATE SET state = excluded.state"_s))
        return failed(q, error);
    q.addBindValue(backendId);
    q.addBindValue(backendId);
    q.addBindValue(state);
    return q.exec() || failed(q, error);
}

} // namespace StoreReads
