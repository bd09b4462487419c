#include "watch/WatchQueries.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

using namespace Qt::StringLiterals;

namespace {

QString sqlError(const QSqlQuery &q)
{
    QString text = q.lastError().databaseText();
    if (text.trimmed().isEmpty())
        text = q.lastError().driverText();
    return text.simplified();
}

QString columns(const WatchSpec &spec)
{
    QString sql = WatchSpec::quote(spec.idColumn) + u", "_s + WatchSpec::quote(spec.backendColumn);
    sql +=
        u", "_s + (spec.workerColumn.isEmpty() ? u"NULL"_s : WatchSpec::quote(spec.workerColumn));
    return sql;
}

/// Reads (job, backend, worker[, extra]) rows; the extra column's last value goes to `last`.
std::optional<WatchRows> readRows(QSqlQuery &q, QString *error, QVariant *last = nullptr)
{
    WatchRows rows;
    while (q.next()) {
        const QVariant job = q.value(0);
        if (job.isNull())
            continue;
        const QVariant backend = q.value(1);
        const QVariant worker = q.value(2);
        rows.append(WatchRow{job.toString(), worker.isNull() ? QString() : worker.toString(),
                             backend.isNull() ? QString() : backend.toString()});
        if (last)
            *last = q.value(3);
    }
    if (q.lastError().isValid()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return rows;
}

std::optional<QVariant> scalar(QSqlDatabase &db, const QString &sql, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(sql) || !q.next()) {
        *error = sqlError(q);
        if (error->isEmpty())
            *error = QStringLiteral("no result from: %1").arg(sql);
        return std::nullopt;
    }
    return q.value(0);
}

} // namespace

namespace WatchQueries {

bool check(QSqlDatabase &db, const WatchSpec &spec, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(u"SELECT %1 FROM %2 WHERE 1 = 0"_s.arg(columns(spec), spec.qualifiedTable())))
        return true;
    *error = sqlError(q);
    return false;
}

bool hasColumn(QSqlDatabase &db, const WatchSpec &spec, const QString &name)
{
    QSqlQuery q(db);
    return q.exec(
        u"SELECT %1 FROM %2 WHERE 1 = 0"_s.arg(WatchSpec::quote(name), spec.qualifiedTable()));
}

std::optional<WatchRows> readAll(QSqlDatabase &db, const WatchSpec &spec, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT %1 FROM %2"_s.arg(columns(spec), spec.qualifiedTable()))) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return readRows(q, error);
}

std::optional<bool> hasNotifyTrigger(QSqlDatabase &db, const WatchSpec &spec, QString *error)
{
    QSqlQuery q(db);
    q.prepare(u"SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(?) AND tgname = ? "
              "AND tgenabled <> 'D'"_s);
    q.addBindValue(spec.qualifiedTable());
    q.addBindValue(WatchSpec::triggerName());
    if (!q.exec() || !q.next()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return q.value(0).toLongLong() > 0;
}

std::optional<WatchRows> readIds(QSqlDatabase &db, const WatchSpec &spec, const QStringList &ids,
                                 QString *error)
{
    // {"a","b\"c"}: every element quoted, so commas, braces and spaces stay inside ids.
    QString array = u"{"_s;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        QString id = ids.at(i);
        id.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
        array += (i > 0 ? u",\""_s : u"\""_s) + id + u'"';
    }
    array += u'}';
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(u"SELECT %1 FROM %2 WHERE %3 = ANY(?)"_s.arg(columns(spec), spec.qualifiedTable(),
                                                           WatchSpec::quote(spec.idColumn)));
    q.addBindValue(array);
    if (!q.exec()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return readRows(q, error);
}

bool hasXmin(QSqlDatabase &db, const WatchSpec &spec, QString *error)
{
    QSqlQuery q(db);
    if (q.exec(u"SELECT xmin FROM %1 WHERE 1 = 0"_s.arg(spec.qualifiedTable())))
        return true;
    *error = sqlError(q);
    return false;
}

std::optional<XidSnapshot> xidSnapshot(QSqlDatabase &db, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT txid_snapshot_xmin(s), s::text FROM txid_current_snapshot() s"_s) ||
        !q.next()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return XidSnapshot{q.value(0).toLongLong(), q.value(1).toString()};
}

std::optional<WatchRows> readSinceXid(QSqlDatabase &db, const WatchSpec &spec, qint64 boundary,
                                      QString *error)
{
    // xmin is a 32-bit, wrapping transaction id: compare by age() (distance back from the
    // current transaction id), which stays right across wraparound. Frozen rows have the
    // largest age and drop out, as old rows should. The boundary is a number we computed.
    const quint32 xid = qMax<quint32>(3, quint32(boundary & 0xffffffff));
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(u"SELECT %1 FROM %2 WHERE age(xmin) <= age('%3'::xid)"_s
                    .arg(columns(spec), spec.qualifiedTable())
                    .arg(xid))) {
        *error = sqlError(q);
        return std::nullopt;
    }
    return readRows(q, error);
}

std::optional<qint64> dataVersion(QSqlDatabase &db, QString *error)
{
    const auto value = scalar(db, u"PRAGMA data_version"_s, error);
    if (!value)
        return std::nullopt;
    return value->toLongLong();
}

std::optional<bool> hasUpdatedAt(QSqlDatabase &db, const WatchSpec &spec, QString *error)
{
    QSqlQuery q(db);
    const QString pragma = spec.schema.isEmpty()
                               ? u"PRAGMA table_info(%1)"_s.arg(WatchSpec::quote(spec.table))
                               : u"PRAGMA %1.table_info(%2)"_s.arg(WatchSpec::quote(spec.schema),
                                                                   WatchSpec::quote(spec.table));
    if (!q.exec(pragma)) {
        *error = sqlError(q);
        return std::nullopt;
    }
    while (q.next()) {
        if (q.value(1).toString() == u"updated_at")
            return true;
    }
    return false;
}

std::optional<WatchRows> readSinceUpdatedAt(QSqlDatabase &db, const WatchSpec &spec,
                                            QVariant *since, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    // >= rather than >: rows written later within the same timestamp are read again, and
    // the caller's diff drops what it has already seen.
    q.prepare(u"SELECT %1, updated_at FROM %2 WHERE updated_at >= ? ORDER BY updated_at"_s.arg(
        columns(spec), spec.qualifiedTable()));
    q.addBindValue(*since);
    if (!q.exec()) {
        *error = sqlError(q);
        return std::nullopt;
    }
    QVariant last = *since;
    auto rows = readRows(q, error, &last);
    if (rows && !last.isNull())
        *since = last;
    return rows;
}

std::optional<QVariant> maxUpdatedAt(QSqlDatabase &db, const WatchSpec &spec, QString *error)
{
    return scalar(db, u"SELECT max(updated_at) FROM %1"_s.arg(spec.qualifiedTable()), error);
}

} // namespace WatchQueries
