#include "WatchBench.h"

#include "Percentile.h"
#include "store/DbUrl.h"
#include "store/StoreConnection.h"
#include "util/Mulberry32.h"
#include "watch/WatchQueries.h"
#include "watch/WatchReader.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

const QString WriterName = u"bench-watch-writer"_s;
const QString WatcherName = u"bench-watch-watcher"_s;

struct Params {
    qint64 rows = 100'000, rounds = 30, changes = 10, seed = 42;
};

std::optional<Params> parse(const QStringList &args)
{
    Params p;
    const std::pair<const char *, qint64 *> options[] = {{"--rows", &p.rows},
                                                         {"--rounds", &p.rounds},
                                                         {"--changes", &p.changes},
                                                         {"--seed", &p.seed}};
    for (qsizetype i = 0; i < args.size(); i += 2) {
        const QString value = args.value(i + 1);
        bool ok = false;
        for (const auto &[name, field] : options)
            if (args.at(i) == QLatin1String(name))
                *field = value.toLongLong(&ok);
        if (!ok || p.rows < 1 || p.rounds < 1 || p.changes < 1 || p.changes > p.rows) {
            QTextStream(stderr) << "stickyboard-bench watch: bad option " << args.at(i) << " "
                                << value << "\n";
            return std::nullopt;
        }
    }
    return p;
}

/// One strategy's time (ms) and rows returned, one entry per round.
struct Series {
    QList<double> ms, rows;
};

struct Result {
    Series full, incremental, idle;
};

/// Fixed-width ISO text, so text order is time order, as `updated_at >= ?` needs.
QString stamp(qint64 tick)
{
    return QDateTime::fromMSecsSinceEpoch(1'700'000'000'000 + tick, Qt::UTC)
        .toString(Qt::ISODateWithMs);
}

bool failed(const QSqlError &sqlError, QString *error)
{
    *error = sqlError.text().simplified();
    return false;
}

bool populate(QSqlDatabase &db, qint64 rows, QString *error)
{
    QSqlQuery q(db);
    if (!q.exec(u"CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id TEXT, last_backend_id TEXT, "
                "updated_at TEXT)"_s))
        return failed(q.lastError(), error);
    // One statement, one transaction: the database makes the rows, no round trip per row.
    q.prepare(u"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?) "
              "INSERT INTO jobs SELECT 'job-' || i, 'w' || (i % 64), 'backend-' || (i % 8), ? "
              "FROM n"_s);
    q.addBindValue(rows);
    q.addBindValue(stamp(0));
    return q.exec() || failed(q.lastError(), error);
}

/// Moves `p.changes` distinct random jobs to a new backend in one transaction, each with a
/// later updated_at; `changes` gets job → new backend.
bool writeChanges(QSqlDatabase &db, const Params &p, Mulberry32 &rng, qint64 *tick,
                  QHash<QString, QString> *changes, QString *error)
{
    changes->clear();
    while (changes->size() < p.changes)
        changes->insert(u"job-%1"_s.arg(qint64(rng.next() * double(p.rows))),
                        u"backend-%1"_s.arg(rng.nextU32() % 1000));
    db.transaction();
    QSqlQuery q(db);
    q.prepare(u"UPDATE jobs SET last_backend_id = ?, updated_at = ? WHERE id = ?"_s);
    for (auto it = changes->cbegin(); it != changes->cend(); ++it) {
        q.addBindValue(it.value());
        q.addBindValue(stamp(++*tick));
        q.addBindValue(it.key());
        if (!q.exec())
            return failed(q.lastError(), error);
    }
    return db.commit() || failed(db.lastError(), error);
}

template <typename Read> bool timed(Series &series, const Read &read, WatchRows *rows)
{
    QElapsedTimer clock;
    clock.start();
    std::optional<WatchRows> result = read();
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    if (!result)
        return false;
    series.ms.append(ms);
    series.rows.append(double(result->size()));
    *rows = std::move(*result);
    return true;
}

/// Empty when the incremental read has every change and the full read every row.
QString verify(const QHash<QString, QString> &changes, const WatchRows &some, qsizetype all,
               qint64 rows)
{
    QHash<QString, QString> read;
    for (const WatchRow &row : some)
        read.insert(row.job, row.backend);
    for (auto it = changes.cbegin(); it != changes.cend(); ++it)
        if (read.value(it.key()) != it.value())
            return u"the incremental read (%1 rows) missed %2 -> %3"_s.arg(some.size())
                .arg(it.key(), it.value());
    return all == rows ? QString() : u"the full read returned %1 of %2 rows"_s.arg(all).arg(rows);
}

/// The rounds, on the two open connections; `wrong` set when a read missed a change.
bool measure(bool pg, const QString &schema, const Params &p, Result *r, QString *error,
             bool *wrong)
{
    QSqlDatabase writer = QSqlDatabase::database(WriterName, false);
    QSqlDatabase watcher = QSqlDatabase::database(WatcherName, false);
    WatchSpec spec;
    spec.schema = schema;
    spec.workerColumn = u"worker_id"_s;
    // The watcher's own reader: marks where changes start and reads everything once, then
    // each poll is exactly what --watch does (with nothing new it is the idle case). Its
    // periodic whole compare (SQLite) is left out: that is the full read, measured apart.
    WatchReader reader(pg ? DbUrl::Kind::Postgres : DbUrl::Kind::Sqlite, spec);
    reader.setFullCompareIntervalMs(std::numeric_limits<int>::max());
    if (!reader.prepare(watcher, error) || !reader.readFirst(watcher, error))
        return false;
    const auto poll = [&] { return reader.poll(watcher, error); };
    const auto full = [&] { return WatchQueries::readAll(watcher, spec, error); };

    Mulberry32 rng(quint32(p.seed));
    qint64 tick = 0;
    QHash<QString, QString> changes;
    // Round -1 warms up, untimed: its incremental read also rereads every row stamped like
    // the newest initial row (the watcher reads `updated_at >= since`), which happens once.
    for (int round = -1; round < p.rounds; ++round) {
        if (!writeChanges(writer, p, rng, &tick, &changes, error))
            return false;
        WatchRows all, some, none;
        // Alternate the order so neither read always finds the pages the other warmed.
        const bool ok = round % 2
                            ? timed(r->full, full, &all) && timed(r->incremental, poll, &some)
                            : timed(r->incremental, poll, &some) && timed(r->full, full, &all);
        if (!ok || !timed(r->idle, poll, &none))
            return false;
        const QString bad = verify(changes, some, all.size(), p.rows);
        if (!bad.isEmpty()) {
            *error = u"round %1: "_s.arg(round) + bad;
            *wrong = true;
            return false;
        }
        if (round < 0)
            *r = Result();
    }
    return true;
}

/// Creates the table (PostgreSQL: in a fresh schema, dropped again), measures, cleans up.
bool runOn(const QString &urlText, const Params &p, Result *result, QString *error, bool *wrong)
{
    StoreConnection::Settings settings;
    if (const auto url = DbUrl::parse(urlText, error))
        settings.url = *url;
    else
        return false;
    const bool pg = settings.url.kind == DbUrl::Kind::Postgres;
    settings.applicationName = u"stickyboard-bench"_s;
    const QString schema =
        pg ? u"sbbench_%1"_s.arg(QRandomGenerator::global()->generate(), 8, 16, QChar(u'0'))
           : QString();
    settings.pgSchema = schema;
    if (!StoreConnection::open(WriterName, settings, error))
        return false;
    bool ok = false;
    {
        QSqlDatabase writer = QSqlDatabase::database(WriterName, false);
        settings.readOnly = true;
        settings.pgSchema.clear(); // read-only sessions set no search_path: the spec names it
        if (populate(writer, p.rows, error) &&
            StoreConnection::open(WatcherName, settings, error)) {
            ok = measure(pg, schema, p, result, error, wrong);
            StoreConnection::close(WatcherName);
        }
        if (pg)
            QSqlQuery(writer).exec(u"DROP SCHEMA %1 CASCADE"_s.arg(schema));
    }
    StoreConnection::close(WriterName);
    return ok;
}

/// Prints the database's lines of the table and returns its part of the JSON line.
QJsonObject report(const QString &db, const Result &r)
{
    const bool pg = db == u"postgresql";
    QJsonObject out;
    const auto add = [&](const QString &key, const char *how, const Series &s) {
        const double p50 = percentile(s.ms, 50), p90 = percentile(s.ms, 90);
        QTextStream(stderr) << db.leftJustified(12) << (key + u' ' + how).leftJustified(40)
                            << u"%1%2%3\n"_s.arg(p50, 10, 'f', 3)
                                   .arg(p90, 10, 'f', 3)
                                   .arg(percentile(s.rows, 50), 9, 'f', 0);
        out.insert(key + u"_ms_p50"_s, std::round(p50 * 1000) / 1000);
        out.insert(key + u"_ms_p90"_s, std::round(p90 * 1000) / 1000);
        out.insert(key + u"_rows"_s, percentile(s.rows, 50));
    };
    add(u"full"_s, "(readAll)", r.full);
    add(u"incremental"_s, pg ? "(snapshot+readSinceXid)" : "(dataVersion+updatedAt)",
        r.incremental);
    add(u"idle"_s, pg ? "(snapshot)" : "(dataVersion)", r.idle);
    const double ratio = percentile(r.full.ms, 50) / percentile(r.incremental.ms, 50);
    QTextStream(stderr) << db.leftJustified(12)
                        << u"full/incremental p50: %1x\n"_s.arg(ratio, 0, 'f', 1);
    out.insert(u"full_over_incremental"_s, std::round(ratio * 10) / 10);
    return out;
}

} // namespace

int runWatchBench(const QStringList &args)
{
    const std::optional<Params> p = parse(args);
    if (!p)
        return 2;
    QLoggingCategory::setFilterRules(u"stickyboard.*.info=false"_s);
    QTemporaryDir dir;
    QList<std::pair<QString, QString>> targets{
        {u"sqlite"_s, u"sqlite:"_s + dir.filePath(u"watch.db"_s)}};
    const QString pgUrl = qEnvironmentVariable("STICKYBOARD_TEST_PG_URL");
    if (!pgUrl.isEmpty())
        targets.append({u"postgresql"_s, pgUrl});
    QTextStream(stderr) << "watch: " << p->rows << " rows, " << p->rounds << " rounds, "
                        << p->changes << " changes/round"
                        << (pgUrl.isEmpty() ? " (no STICKYBOARD_TEST_PG_URL: SQLite only)" : "")
                        << "\ndb          strategy" << QString(32, u' ')
                        << "    p50 ms    p90 ms     rows\n";
    QJsonObject out{{u"bench"_s, u"watch"_s},
                    {u"rows"_s, p->rows},
                    {u"rounds"_s, p->rounds},
                    {u"changes"_s, p->changes}};
    int code = 0;
    for (const auto &[name, url] : std::as_const(targets)) {
        bool wrong = false;
        Result result;
        QString error;
        if (runOn(url, *p, &result, &error, &wrong)) {
            out.insert(name, report(name, result));
            continue;
        }
        QTextStream(stderr) << "stickyboard-bench watch: " << name << ": "
                            << (wrong ? "WRONG: " : "") << error << "\n";
        code = wrong ? 1 : 3;
    }
    QTextStream(stdout) << QJsonDocument(out).toJson(QJsonDocument::Compact) << "\n";
    return code;
}
