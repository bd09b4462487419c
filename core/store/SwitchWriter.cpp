#include "store/SwitchWriter.h"

#include <QDateTime>
#include <QSqlDatabase>
#include <QSqlError>

using namespace Qt::StringLiterals;

namespace {

// Measured on SQLite: one 64-row statement costs about as much as four single-row ones,
// so chunking is what makes group commit reach well over 100k writes/s. The small chunks
// keep the number of distinct prepared statements (and PostgreSQL parameters) bounded.
constexpr int kChunks[] = {64, 16, 4, 1};

struct TableSql {
    int columns;
    const char16_t *head;
    const char16_t *row;
    const char16_t *tail;
};

const TableSql &sqlFor(int table)
{
    static const TableSql tables[] = {
        {4, u"INSERT INTO jobs (id, worker_id, status, last_backend_id, updated_at) VALUES ",
         u"(?, ?, 'running', ?, ?)",
         u" ON CONFLICT (id) DO UPDATE SET last_backend_id = excluded.last_backend_id,"
         u" worker_id = COALESCE(excluded.worker_id, jobs.worker_id),"
         u" updated_at = excluded.updated_at"},
        {5,
         u"INSERT INTO backend_switches (job_id, from_backend, to_backend, cache_key, at)"
         u" VALUES ",
         u"(?, ?, ?, ?, ?)", u""},
        {2, u"INSERT INTO workers (id, name) VALUES ", u"(?, ?)", u" ON CONFLICT (id) DO NOTHING"},
        {2, u"INSERT INTO backends (id, name, state) VALUES ", u"(?, ?, 'online')",
         u" ON CONFLICT (id) DO NOTHING"},
    };
    return tables[table];
}

/// Named placeholders (":v0", ":v1", ...): Qt 6.4 binds a positional value by formatting
/// its index into a string first, which cost a fifth of the transaction time; a named bind
/// is a hash lookup of a prebuilt name.
const QString &placeholder(int index)
{
    static const QList<QString> names = [] {
        QList<QString> list;
        for (int i = 0; i < kChunks[0] * 5; ++i)
            list.append(u":v%1"_s.arg(i));
        return list;
    }();
    return names.at(index);
}

QVariant textOrNull(const QString &text)
{
    return text.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(text);
}

} // namespace

SwitchWriter::SwitchWriter(QString connectionName) : m_connection(std::move(connectionName)) {}

QString SwitchWriter::timestamp(qint64 atMs)
{
    if (atMs <= 0)
        atMs = QDateTime::currentMSecsSinceEpoch();
    // Writes of one group mostly share a millisecond: format it once.
    if (atMs != m_lastMs) {
        m_lastMs = atMs;
        m_lastStamp = QDateTime::fromMSecsSinceEpoch(atMs, Qt::UTC).toString(Qt::ISODateWithMs);
    }
    return m_lastStamp;
}

QSqlQuery *SwitchWriter::statement(Table table, int rows, QSqlError *error)
{
    const auto key = std::make_pair(int(table), rows);
    auto it = m_statements.find(key);
    if (it != m_statements.end())
        return &it->second;
    const TableSql &t = sqlFor(table);
    QString sql = QString::fromUtf16(t.head);
    const QString row = QString::fromUtf16(t.row);
    int value = 0;
    for (int i = 0; i < rows; ++i) {
        if (i)
            sql += u", ";
        for (const QChar c : row)
            sql += c == u'?' ? placeholder(value++) : QString(c);
    }
    sql += QString::fromUtf16(t.tail);
    QSqlQuery query(QSqlDatabase::database(m_connection, false));
    if (!query.prepare(sql)) {
        *error = query.lastError();
        return nullptr;
    }
    return &m_statements.emplace(key, std::move(query)).first->second;
}

bool SwitchWriter::insertRows(Table table, const QVariantList &values, QSqlError *error)
{
    const int columns = sqlFor(table).columns;
    qsizetype remaining = values.size() / columns;
    qsizetype offset = 0;
    for (const int chunk : kChunks) {
        while (remaining >= chunk) {
            QSqlQuery *q = statement(table, chunk, error);
            if (!q)
                return false;
            for (int i = 0; i < chunk * columns; ++i)
                q->bindValue(placeholder(i), values.at(offset + i));
            if (!q->exec()) {
                *error = q->lastError();
                return false;
            }
            offset += chunk * columns;
            remaining -= chunk;
        }
    }
    return true;
}

bool SwitchWriter::write(const QList<const PersistWrite *> &writes, const QString &updatedAt,
                         QSqlError *error)
{
    QVariantList jobs, switches, workers, backends;
    jobs.reserve(writes.size() * 4);
    switches.reserve(writes.size() * 5);
    // PostgreSQL refuses to upsert one row twice in one statement, so a job written twice
    // in a group becomes one row carrying its newest values (and its last known worker).
    QHash<QString, qsizetype> jobRow;
    auto noteBackend = [&](const QString &id) {
        if (!id.isEmpty() && !m_knownBackends.contains(id) && !m_newBackends.contains(id)) {
            m_newBackends.insert(id);
            backends << id << id;
        }
    };
    for (const PersistWrite *w : writes) {
        const QString stamp = timestamp(w->atMs);
        const QVariant worker = textOrNull(w->workerId);
        const QVariant backend = textOrNull(w->toBackend);
        const auto it = writes.size() > 1 ? jobRow.constFind(w->jobId) : jobRow.constEnd();
        if (it == jobRow.constEnd()) {
            if (writes.size() > 1)
                jobRow.insert(w->jobId, jobs.size());
            jobs << w->jobId << worker << backend << updatedAt;
        } else {
            const qsizetype at = *it;
            if (!w->workerId.isEmpty())
                jobs[at + 1] = worker;
            jobs[at + 2] = backend;
        }
        switches << w->jobId << textOrNull(w->fromBackend) << backend << textOrNull(w->cacheKey)
                 << stamp;
        if (!w->workerId.isEmpty() && !m_knownWorkers.contains(w->workerId) &&
            !m_newWorkers.contains(w->workerId)) {
            m_newWorkers.insert(w->workerId);
            workers << w->workerId << w->workerId;
        }
        noteBackend(w->fromBackend);
        noteBackend(w->toBackend);
    }
    return insertRows(Workers, workers, error) && insertRows(Backends, backends, error) &&
           insertRows(Jobs, jobs, error) && insertRows(Switches, switches, error);
}

void SwitchWriter::committed()
{
    m_knownWorkers.unite(m_newWorkers);
    m_knownBackends.unite(m_newBackends);
    m_newWorkers.clear();
    m_newBackends.clear();
}

void SwitchWriter::rolledBack()
{
    m_newWorkers.clear();
    m_newBackends.clear();
}
