// ctest-labels: store threads
#include "StoreTestSupport.h"

#include <QDir>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <memory>

using namespace StoreTest;
using namespace Qt::StringLiterals;

// Opens `store` or fails the test with the store's message.
#define OPEN_OK(store)                                                                             \
    do {                                                                                           \
        auto f_ = (store)->open();                                                                 \
        QVERIFY(settles(f_));                                                                      \
        const QString e_ = errorOf(f_);                                                            \
        QVERIFY2(e_.isEmpty(), qPrintable(e_));                                                    \
    } while (false)

// Declares `var` as the result of the future `expr`, failing the test on error or timeout.
#define AWAIT(var, expr)                                                                           \
    auto var##Future = (expr);                                                                     \
    QVERIFY(settles(var##Future));                                                                 \
    QVERIFY2(errorOf(var##Future).isEmpty(), qPrintable(errorOf(var##Future)));                    \
    const auto var = var##Future.result()

// Persists `list` and checks every write succeeded.
#define PERSIST_OK(store, list)                                                                    \
    do {                                                                                           \
        auto f_ = (store)->persist(list);                                                          \
        QVERIFY(settles(f_));                                                                      \
        for (const PersistOutcome &o_ : f_.result())                                               \
            QVERIFY2(o_.ok, qPrintable(o_.error));                                                 \
    } while (false)

class TestJobStore : public QObject {
    Q_OBJECT
private:
    QString m_kind; // file | memory | pg
    DbUrl m_url;
    JobStore::Options m_options;
    QString m_schema;
    std::unique_ptr<QTemporaryDir> m_dir;

    std::unique_ptr<JobStore> makeStore() { return std::make_unique<JobStore>(m_url, m_options); }
    bool isPg() const { return m_kind == u"pg"; }
    QString v1Schema() const;

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addRow("sqlite-file") << u"file"_s;
        QTest::addRow("sqlite-memory") << u"memory"_s;
        QTest::addRow("postgresql") << u"pg"_s;
    }
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void init()
    {
        QFETCH_GLOBAL(QString, kind);
        m_kind = kind;
        m_options = {};
        m_options.connectTimeoutS = 3;
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_url = {};
        if (kind == u"file") {
            m_url.path = m_dir->filePath(u"jobs.db"_s);
        } else if (kind == u"memory") {
            m_url.inMemory = true;
        } else {
            STORE_REQUIRE_PG();
            m_url = *pgUrl();
            m_schema = uniqueSchema();
            m_options.pgSchema = m_schema;
        }
    }

    void cleanup()
    {
        if (!m_schema.isEmpty())
            dropSchema(m_url, m_schema);
        m_schema.clear();
    }

    void createsSchema()
    {
        {
            auto store = makeStore();
            OPEN_OK(store);
            AWAIT(snapshot, store->loadSnapshot());
            QVERIFY(snapshot.jobs.isEmpty());
            AWAIT(history, store->switchHistory(u"none"_s));
            QVERIFY(history.isEmpty());
        }
        if (m_kind == u"memory")
            return; // private to the store's connection: the API checks above are all we see
        auto again = makeStore(); // opening an up-to-date database changes nothing
        OPEN_OK(again);
        DirectDb d(m_url, m_schema);
        QCOMPARE(d.scalar(u"SELECT MAX(version) FROM schema_version"_s).toInt(),
                 JobStore::SchemaVersion);
        QCOMPARE(d.scalar(u"SELECT COUNT(*) FROM schema_version"_s).toInt(), 2);
        QVERIFY(d.exec(u"SELECT id, worker_id, status, last_backend_id, updated_at FROM jobs"_s));
        QVERIFY(d.exec(u"SELECT id, job_id, from_backend, to_backend, cache_key, at"
                       " FROM backend_switches"_s));
        QVERIFY(d.exec(u"SELECT id, name FROM workers"_s));
        QVERIFY(d.exec(u"SELECT id, name, state FROM backends"_s));
    }

    void migratesFromV1KeepingRows()
    {
        if (m_kind == u"memory")
            QSKIP("an in-memory database cannot be prepared by hand");
        {
            DirectDb d(m_url, m_schema);
            for (const QString &sql : v1Schema().split(u';'))
                QVERIFY(d.exec(sql));
        }
        auto store = makeStore();
        OPEN_OK(store);
        AWAIT(snapshot, store->loadSnapshot());
        QCOMPARE(snapshot.jobs.size(), 2);
        QCOMPARE(snapshot.jobs[0].id, u"j1"_s);
        QCOMPARE(snapshot.jobs[0].worker, u"w1"_s);
        QCOMPARE(snapshot.jobs[0].status, u"done"_s);
        QCOMPARE(snapshot.jobs[0].backend, u"b1"_s);
        QVERIFY(snapshot.jobs[1].worker.isNull());
        QVERIFY(snapshot.jobs[1].backend.isNull());
        QCOMPARE(snapshot.workers.size(), 1);
        QCOMPARE(snapshot.workers[0].name, u"Worker One"_s);
        QCOMPARE(snapshot.backends[0].state, u"saturated"_s);

        PERSIST_OK(store, {write(u"j1"_s, u"w1"_s, u"b1"_s, u"b2"_s)});
        AWAIT(backends, store->readJobBackends());
        QCOMPARE(backends.value(u"j1"_s), u"b2"_s);
        store.reset();
        DirectDb d(m_url, m_schema);
        QCOMPARE(d.scalar(u"SELECT MAX(version) FROM schema_version"_s).toInt(), 2);
        QVERIFY(!d.scalar(u"SELECT updated_at FROM jobs WHERE id = 'j1'"_s).isNull());
        QVERIFY(d.scalar(u"SELECT updated_at FROM jobs WHERE id = 'j2'"_s).isNull());
        QCOMPARE(d.scalar(u"SELECT status FROM jobs WHERE id = 'j1'"_s).toString(), u"done"_s);
    }

    void refusesNewerSchema()
    {
        if (m_kind == u"memory")
            QSKIP("an in-memory database cannot be prepared by hand");
        {
            DirectDb d(m_url, m_schema);
            QVERIFY(d.exec(u"CREATE TABLE schema_version (version INTEGER NOT NULL)"_s));
            QVERIFY(d.exec(u"INSERT INTO schema_version (version) VALUES (3)"_s));
        }
        auto store = makeStore();
        const QString error = errorOf(store->open());
        QVERIFY2(error.contains(u"database schema version 3 is newer than this Stickyboard (2); "
                                "upgrade Stickyboard"_s),
                 qPrintable(error));
        QVERIFY2(error.contains(m_url.redacted()), qPrintable(error));
        QVERIFY(m_url.password.isEmpty() || !error.contains(m_url.password));
        // Writes do not sneak past the refusal.
        auto f = store->persist({write(u"j1"_s, {}, {}, u"b1"_s)});
        QVERIFY(settles(f));
        QVERIFY(!f.result().at(0).ok);
        QVERIFY(f.result().at(0).error.contains(u"newer than this Stickyboard"_s));
        store.reset();
        DirectDb d(m_url, m_schema);
        QVERIFY(!d.scalar(u"SELECT COUNT(*) FROM schema_version"_s).isNull());
        QCOMPARE(d.scalar(u"SELECT MAX(version) FROM schema_version"_s).toInt(), 3);
    }

    void persistAndReadBack()
    {
        auto store = makeStore();
        OPEN_OK(store);
        PERSIST_OK(store, (QList{write(u"j1"_s, u"w1"_s, {}, u"b1"_s),
                                 write(u"j2"_s, u"w2"_s, {}, u"b2"_s, u"k1"_s)}));
        PERSIST_OK(store, {write(u"j1"_s, u"w1"_s, u"b1"_s, u"b2"_s, u"k2"_s)});

        AWAIT(backends, store->readJobBackends());
        QCOMPARE(backends, (QHash<QString, QString>{{u"j1"_s, u"b2"_s}, {u"j2"_s, u"b2"_s}}));
        AWAIT(history, store->switchHistory(u"j1"_s));
        QCOMPARE(history.size(), 2);
        QVERIFY(history[0].id > history[1].id);
        QCOMPARE(history[0].jobId, u"j1"_s);
        QCOMPARE(history[0].fromBackend, u"b1"_s);
        QCOMPARE(history[0].toBackend, u"b2"_s);
        QCOMPARE(history[0].cacheKey, u"k2"_s);
        QVERIFY(history[1].fromBackend.isNull());
        QVERIFY(history[1].cacheKey.isNull());
        QCOMPARE(history[0].at, QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC));

        AWAIT(snapshot, store->loadSnapshot());
        QCOMPARE(snapshot.jobs.size(), 2);
        QCOMPARE(snapshot.jobs[0].worker, u"w1"_s);
        QCOMPARE(snapshot.jobs[0].status, u"running"_s);
        QCOMPARE(snapshot.workers.size(), 2);
        QCOMPARE(snapshot.backends.size(), 2);
        QCOMPARE(snapshot.backends[0].state, u"online"_s);
        QCOMPARE(store->stats().writes, 3u);
        QCOMPARE(store->stats().transactions, 2u);
    }

    void sameJobTwiceInOneTransaction()
    {
        auto store = makeStore();
        OPEN_OK(store);
        PERSIST_OK(store, (QList{write(u"j1"_s, u"w1"_s, {}, u"b1"_s),
                                 write(u"j1"_s, {}, u"b1"_s, u"b2"_s)}));
        AWAIT(snapshot, store->loadSnapshot());
        QCOMPARE(snapshot.jobs.size(), 1);
        QCOMPARE(snapshot.jobs[0].worker, u"w1"_s); // the second write knew no worker
        QCOMPARE(snapshot.jobs[0].backend, u"b2"_s);
        AWAIT(history, store->switchHistory(u"j1"_s));
        QCOMPARE(history.size(), 2);
        QCOMPARE(history[0].toBackend, u"b2"_s);
    }

    void refusedRowFailsOnlyItsWrite();
    void groupCommitUnderConcurrency();

    void snapshotAndBackendState()
    {
        auto store = makeStore();
        OPEN_OK(store);
        QVERIFY(errorOf(store->setBackendState(u"b9"_s, u"offline"_s)).isEmpty());
        const QString bad = errorOf(store->setBackendState(u"b9"_s, u"sleepy"_s));
        QVERIFY2(bad.contains(u"unknown backend state 'sleepy'"_s), qPrintable(bad));
        PERSIST_OK(store,
                   (QList{write(u"j1"_s, u"w1"_s, {}, u"b9"_s), write(u"j2"_s, {}, {}, u"b1"_s)}));
        AWAIT(snapshot, store->loadSnapshot());
        QCOMPARE(snapshot.backends.size(), 2);
        QCOMPARE(snapshot.backends[1].id, u"b9"_s);
        QCOMPARE(snapshot.backends[1].state, u"offline"_s); // a write does not reset it
        QCOMPARE(snapshot.jobs.size(), 2);
        QCOMPARE(snapshot.jobs[0].backend, u"b9"_s);
        QVERIFY(snapshot.jobs[1].worker.isNull());
        QCOMPARE(snapshot.workers.size(), 1);
    }

    void pagedHistory()
    {
        auto store = makeStore();
        OPEN_OK(store);
        QList<PersistWrite> writes{write(u"other"_s, {}, {}, u"b0"_s)};
        for (int i = 0; i < 25; ++i)
            writes.append(
                write(u"pj"_s, u"w"_s, i ? u"b%1"_s.arg(i - 1) : QString(), u"b%1"_s.arg(i)));
        PERSIST_OK(store, writes);
        QStringList seen;
        qint64 before = 0;
        for (const int expected : {10, 10, 5, 0}) {
            AWAIT(page, store->switchHistory(u"pj"_s, before, 10));
            QCOMPARE(page.size(), expected);
            for (const SwitchRecord &r : page) {
                QVERIFY(before == 0 || r.id < before);
                QCOMPARE(r.jobId, u"pj"_s);
                before = r.id;
                seen.append(r.toBackend);
            }
        }
        QCOMPARE(seen.size(), 25);
        QCOMPARE(seen.first(), u"b24"_s);
        QCOMPARE(seen.last(), u"b0"_s);
    }

    void unicodeAndQuoteIds()
    {
        const QString job = u"jöb 'quoted' \"double\" ?; DROP TABLE jobs; -- 🙂"_s;
        const QString worker = u"wörker \\' $1"_s;
        const QString backend = u"bäckend '?' 名前"_s;
        auto store = makeStore();
        OPEN_OK(store);
        PERSIST_OK(store, {write(job, worker, {}, backend, u"k'ey"_s)});
        PERSIST_OK(store, {write(job, worker, backend, u"plain"_s)});
        AWAIT(backends, store->readJobBackends());
        QCOMPARE(backends.value(job), u"plain"_s);
        AWAIT(history, store->switchHistory(job));
        QCOMPARE(history.size(), 2);
        QCOMPARE(history[0].fromBackend, backend);
        QCOMPARE(history[1].cacheKey, u"k'ey"_s);
        AWAIT(snapshot, store->loadSnapshot());
        QCOMPARE(snapshot.jobs[0].id, job);
        QCOMPARE(snapshot.workers[0].id, worker);
        QVERIFY(snapshot.backends[0].id == backend || snapshot.backends[1].id == backend);
    }

    void destructorFinishesQueuedWork()
    {
        QList<QFuture<PersistResults>> futures;
        {
            auto store = makeStore();
            store->open(); // not awaited: the queue runs in order
            for (int i = 0; i < 200; ++i)
                futures.append(store->persist({write(u"j%1"_s.arg(i), {}, {}, u"b1"_s)}));
        }
        for (const auto &f : futures) {
            QVERIFY(f.isFinished());
            QVERIFY2(f.result().at(0).ok, qPrintable(f.result().at(0).error));
        }
        if (m_kind == u"memory")
            return;
        auto store = makeStore();
        OPEN_OK(store);
        AWAIT(backends, store->readJobBackends());
        QCOMPARE(backends.size(), 200);
    }

    void openErrors();
};

QString TestJobStore::v1Schema() const
{
    return u"CREATE TABLE workers (id TEXT PRIMARY KEY, name TEXT);"
           "CREATE TABLE backends (id TEXT PRIMARY KEY, name TEXT,"
           " state TEXT NOT NULL DEFAULT 'online');"
           "CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id TEXT,"
           " status TEXT NOT NULL DEFAULT 'running', last_backend_id TEXT);"
           "CREATE TABLE schema_version (version INTEGER NOT NULL);"
           "INSERT INTO schema_version (version) VALUES (1);"
           "INSERT INTO workers (id, name) VALUES ('w1', 'Worker One');"
           "INSERT INTO backends (id, name, state) VALUES ('b1', 'B One', 'saturated');"
           "INSERT INTO jobs (id, worker_id, status, last_backend_id) VALUES"
           " ('j1', 'w1', 'done', 'b1');"
           "INSERT INTO jobs (id) VALUES ('j2')"_s;
}

void TestJobStore::refusedRowFailsOnlyItsWrite()
{
    if (m_kind == u"memory")
        QSKIP("needs a second connection to install the failing trigger");
    auto store = makeStore();
    OPEN_OK(store);
    PERSIST_OK(store, {write(u"j1"_s, u"w1"_s, {}, u"b1"_s)});
    {
        // The switch row of job 'poison' fails, after its jobs row was already written.
        DirectDb d(m_url, m_schema);
        if (isPg()) {
            QVERIFY(d.exec(u"CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS"
                           " $$ BEGIN RAISE EXCEPTION 'poisoned switch row'; END $$"_s));
            QVERIFY(d.exec(u"CREATE TRIGGER poison BEFORE INSERT ON backend_switches FOR EACH ROW"
                           " WHEN (NEW.job_id = 'poison') EXECUTE FUNCTION poison()"_s));
        } else {
            QVERIFY(d.exec(u"CREATE TRIGGER poison BEFORE INSERT ON backend_switches"
                           " WHEN NEW.job_id = 'poison'"
                           " BEGIN SELECT RAISE(ABORT, 'poisoned switch row'); END"_s));
        }
    }
    const JobStore::Stats before = store->stats();
    auto failing = store->persist({write(u"j1"_s, u"w1"_s, u"b1"_s, u"b2"_s),
                                   write(u"poison"_s, u"w9"_s, {}, u"b9"_s),
                                   write(u"j3"_s, u"w3"_s, {}, u"b3"_s)});
    QVERIFY(settles(failing));
    const PersistResults results = failing.result();
    QCOMPARE(results.size(), 3);
    QVERIFY2(results[0].ok && results[2].ok, qPrintable(results[0].error + results[2].error));
    const PersistOutcome &o = results[1];
    QVERIFY(!o.ok);
    QVERIFY2(o.error.contains(u"poisoned switch row"_s), qPrintable(o.error));
    QVERIFY2(o.error.contains(m_url.redacted()), qPrintable(o.error));
    QVERIFY(m_url.password.isEmpty() || !o.error.contains(m_url.password));
    // The group failed and was split, the halves retried: [j1], [poison, j3], then
    // [poison] and [j3]: five transactions.
    QCOMPARE(store->stats().transactions - before.transactions, 5u);

    // Nothing of the refused write remains, not even the rows written before the error
    // inside its transaction (its worker w9 and backend b9).
    AWAIT(backends, store->readJobBackends());
    QCOMPARE(backends, (QHash<QString, QString>{{u"j1"_s, u"b2"_s}, {u"j3"_s, u"b3"_s}}));
    AWAIT(history, store->switchHistory(u"j1"_s));
    QCOMPARE(history.size(), 2);
    AWAIT(snapshot, store->loadSnapshot());
    QCOMPARE(snapshot.workers.size(), 2);
    QCOMPARE(snapshot.workers[1].id, u"w3"_s);
    QCOMPARE(snapshot.backends.size(), 3); // b1, b2, b3
    QCOMPARE(snapshot.jobs.size(), 2);
}

void TestJobStore::groupCommitUnderConcurrency()
{
    m_options.busyTimeoutMs = 30000;
    auto store = makeStore();
    OPEN_OK(store);
    PERSIST_OK(store, {write(u"warm"_s, {}, {}, u"b0"_s)});
    const JobStore::Stats before = store->stats();

    // Make one transaction slow so that submissions pile up behind it: another connection
    // holds the write lock, or (in memory) the transaction is simply large.
    std::unique_ptr<DirectDb> locker;
    QFuture<PersistResults> slow;
    if (m_kind == u"memory") {
        QList<PersistWrite> big;
        for (int i = 0; i < 100000; ++i)
            big.append(write(u"big%1"_s.arg(i), {}, {}, u"b1"_s));
        slow = store->persist(big);
    } else {
        locker = std::make_unique<DirectDb>(m_url, m_schema, u"locker"_s);
        QVERIFY(locker->exec(isPg() ? u"BEGIN"_s : u"BEGIN IMMEDIATE"_s));
        if (isPg())
            QVERIFY(locker->exec(u"LOCK TABLE jobs IN EXCLUSIVE MODE"_s));
        slow = store->persist({write(u"slow"_s, {}, {}, u"b1"_s)});
        QTest::qWait(200); // the store thread is now waiting inside that transaction
    }

    constexpr int kThreads = 4, kCalls = 250, kJobs = 20;
    QList<QFuture<PersistResults>> futures[kThreads];
    std::vector<std::unique_ptr<QThread>> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back(QThread::create([&store, &futures, t] {
            for (int i = 0; i < kCalls; ++i) {
                const QString job = u"t%1-j%2"_s.arg(t).arg(i % kJobs);
                QList<PersistWrite> writes{write(job, u"w%1"_s.arg(t), {}, u"b%1"_s.arg(i))};
                if (i % 3 == 0)
                    writes.append(write(u"t%1-extra"_s.arg(t), {}, {}, u"b%1"_s.arg(i)));
                futures[t].append(store->persist(writes));
            }
        }));
        threads.back()->start();
    }
    for (auto &thread : threads)
        QVERIFY(thread->wait(20000));
    if (locker)
        QVERIFY(locker->exec(u"ROLLBACK"_s));

    QVERIFY(settles(slow, 60000));
    QVERIFY(slow.result().at(0).ok);
    for (const auto &list : futures) {
        for (const auto &f : list) {
            QVERIFY(settles(f));
            for (const PersistOutcome &o : f.result())
                QVERIFY2(o.ok, qPrintable(o.error));
        }
    }
    const JobStore::Stats after = store->stats();
    const quint64 calls = kThreads * kCalls;
    qInfo() << "transactions for" << calls << "calls:" << after.transactions - before.transactions
            << "largest group" << after.largestGroup;
    QVERIFY(after.largestGroup > 1);
    QVERIFY(after.transactions - before.transactions < calls / 4);

    // Each job ends on the backend of its last write, in submission order.
    AWAIT(backends, store->readJobBackends());
    for (int t = 0; t < kThreads; ++t) {
        for (int j = 0; j < kJobs; ++j)
            QCOMPARE(backends.value(u"t%1-j%2"_s.arg(t).arg(j)),
                     u"b%1"_s.arg((kCalls - 1 - j) / kJobs * kJobs + j));
        AWAIT(history, store->switchHistory(u"t%1-j0"_s.arg(t), 0, 1000));
        QCOMPARE(history.size(), kCalls / kJobs + (kCalls % kJobs ? 1 : 0));
    }
    locker.reset();
}

void TestJobStore::openErrors()
{
    if (m_kind == u"memory")
        QSKIP("opening memory cannot fail; the file and postgresql rows cover the errors");
    if (isPg()) {
        DbUrl wrong = m_url;
        wrong.password = u"wrong-password-x9"_s;
        const QString auth = errorOf(JobStore(wrong).open());
        QVERIFY2(auth.contains(u"authentication failed for user 'stickyboard'"_s),
                 qPrintable(auth));
        QVERIFY2(auth.contains(wrong.redacted()), qPrintable(auth));
        QVERIFY(!auth.contains(wrong.password));
        DbUrl missing = m_url;
        missing.database = u"no_such_db_x9"_s;
        const QString db = errorOf(JobStore(missing).open());
        QVERIFY2(db.contains(u"database 'no_such_db_x9' does not exist"_s), qPrintable(db));
        QVERIFY(!db.contains(m_url.password));
        return;
    }
    // Not writable: the folder would have to live below a regular file.
    QFile blocker(m_dir->filePath(u"file"_s));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    DbUrl unwritable = m_url;
    unwritable.path = m_dir->filePath(u"file/sub/jobs.db"_s);
    const QString folder = errorOf(JobStore(unwritable).open());
    QVERIFY2(folder.contains(u"cannot create folder"_s) && folder.contains(unwritable.path),
             qPrintable(folder));

    DbUrl isDir = m_url;
    isDir.path = m_dir->path();
    QVERIFY(errorOf(JobStore(isDir).open()).contains(u"is a folder"_s));

    QFile garbage(m_dir->filePath(u"corrupt.db"_s));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray("this is not a database, just text. ").repeated(200));
    garbage.close();
    DbUrl corrupt = m_url;
    corrupt.path = garbage.fileName();
    {
        JobStore store(corrupt);
        const QString error = errorOf(store.open());
        QVERIFY2(error.contains(u"not a SQLite database or is corrupt"_s), qPrintable(error));
        QVERIFY(error.contains(corrupt.path));
        auto f = store.persist({write(u"j1"_s, {}, {}, u"b1"_s)});
        QVERIFY(settles(f));
        QVERIFY2(f.result().at(0).error.contains(u"corrupt"_s), qPrintable(f.result().at(0).error));
    }

    // Needs no server: nothing listens on port 1.
    QString parseError;
    const auto unreachable =
        DbUrl::parse(u"postgresql://sb:hunter2secret@127.0.0.1:1/x"_s, &parseError);
    QVERIFY(unreachable);
    const QString refused = errorOf(JobStore(*unreachable).open());
    QVERIFY2(refused.contains(u"cannot reach PostgreSQL server 127.0.0.1:1"_s),
             qPrintable(refused));
    QVERIFY2(refused.contains(u"postgresql://sb:***@127.0.0.1:1/x"_s), qPrintable(refused));
    QVERIFY(!refused.contains(u"hunter2secret"_s));
}

QTEST_GUILESS_MAIN(TestJobStore)
#include "tst_jobstore.moc"
