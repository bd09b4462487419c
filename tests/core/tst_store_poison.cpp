// ctest-labels: store threads
// Writes that cannot poison each other: a row the database refuses fails alone (the group is
// split and retried), a failure of the whole connection fails the group once, groups are
// bounded, and updated_at is the time of the committing transaction. Real SQLite and
// PostgreSQL, with real refusals (a trigger, a CHECK constraint, a dropped table).

#include "StoreTestSupport.h"

#include "tracker/TrackerTable.h"

#include <QDateTime>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

using namespace StoreTest;
using namespace Qt::StringLiterals;

class TestStorePoison : public QObject {
    Q_OBJECT
private:
    DbUrl m_url;
    JobStore::Options m_options;
    QString m_schema;
    std::unique_ptr<QTemporaryDir> m_dir;

    bool isPg() const { return m_url.kind == DbUrl::Kind::Postgres; }
    std::unique_ptr<JobStore> openStore()
    {
        auto store = std::make_unique<JobStore>(m_url, m_options);
        auto open = store->open();
        if (!settles(open) || !errorOf(open).isEmpty())
            qWarning() << "open failed:" << errorOf(open);
        return store;
    }
    /// The database refuses the jobs row of job 'poison' (and only that row).
    bool installPoison()
    {
        DirectDb d(m_url, m_schema);
        if (isPg())
            return d.exec(u"ALTER TABLE jobs ADD CONSTRAINT no_poison CHECK (id <> 'poison')"_s);
        return d.exec(u"CREATE TRIGGER no_poison BEFORE INSERT ON backend_switches"
                      " WHEN NEW.job_id = 'poison'"
                      " BEGIN SELECT RAISE(ABORT, 'no_poison: this row is refused'); END"_s);
    }

private slots:
    void initTestCase_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addRow("sqlite") << u"sqlite"_s;
        QTest::addRow("postgresql") << u"pg"_s;
    }
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        QFETCH_GLOBAL(QString, kind);
        m_options = {};
        m_options.connectTimeoutS = 3;
        m_dir = std::make_unique<QTemporaryDir>();
        m_url = {};
        m_schema.clear();
        if (kind == u"sqlite") {
            m_url.path = m_dir->filePath(u"jobs.db"_s);
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
    }

    void oneRefusedRowFailsAlone()
    {
        auto store = openStore();
        QVERIFY(installPoison());
        const JobStore::Stats before = store->stats();
        QList<PersistWrite> writes;
        for (int i = 0; i < 1000; ++i) {
            const QString job = i == 617 ? u"poison"_s : u"j%1"_s.arg(i);
            writes.append(write(job, u"w%1"_s.arg(i % 7), {}, u"b%1"_s.arg(i % 5)));
        }
        auto f = store->persist(writes);
        QVERIFY(settles(f, 60000));
        const PersistResults results = f.result();
        QCOMPARE(results.size(), 1000);
        int ok = 0;
        for (int i = 0; i < 1000; ++i) {
            if (results[i].ok) {
                ++ok;
                continue;
            }
            QCOMPARE(i, 617);
            // The database's own reason, naming the job and the database.
            QVERIFY2(results[i].error.contains(u"no_poison"_s), qPrintable(results[i].error));
            QVERIFY2(results[i].error.contains(u"'poison'"_s), qPrintable(results[i].error));
            QVERIFY2(results[i].error.contains(m_url.redacted()), qPrintable(results[i].error));
        }
        QCOMPARE(ok, 999);
        const QHash<QString, QString> table = tableBackends(m_url, m_schema);
        QCOMPARE(table.size(), 999);
        QVERIFY(!table.contains(u"poison"_s));
        QCOMPARE(table.value(u"j999"_s), u"b4"_s);
        // Split in halves, not retried row by row: about 2 * log2(1000) transactions.
        const quint64 transactions = store->stats().transactions - before.transactions;
        QVERIFY2(transactions > 1 && transactions <= 24, qPrintable(QString::number(transactions)));
    }

    void poisonedJobRetriesAloneOnItsNextEvent()
    {
        auto store = openStore();
        QVERIFY(installPoison());
        TrackerTable tracker(store.get());
        auto settle = [&] {
            tracker.flush();
            return QTest::qWaitFor([&] { return tracker.writesInFlight() == 0; }, 20000);
        };
        for (int i = 0; i < 50; ++i)
            tracker.onEvent(u"j%1"_s.arg(i), u"w1"_s, u"b1"_s);
        tracker.onEvent(u"poison"_s, u"w1"_s, u"b1"_s);
        QVERIFY(settle());
        QCOMPARE(tracker.counters().succeeded, 50u);
        QCOMPARE(tracker.counters().failed, 1u);

        // Its next event retries, together with other jobs' switches: only it fails again.
        for (int i = 0; i < 50; ++i)
            tracker.onEvent(u"j%1"_s.arg(i), u"w1"_s, u"b2"_s);
        tracker.onEvent(u"poison"_s, u"w1"_s, u"b1"_s);
        QVERIFY(settle());
        QCOMPARE(tracker.counters().succeeded, 100u);
        QCOMPARE(tracker.counters().failed, 2u);
        const quint32 poison = tracker.findJob(u"poison"_s);
        QCOMPARE(tracker.state(poison).consecutiveFailures, 2u);
        QVERIFY(tracker.preferredBackend(poison).isNull()); // memory kept the table's value
        const QHash<QString, QString> table = tableBackends(m_url, m_schema);
        for (int i = 0; i < 50; ++i)
            QCOMPARE(table.value(u"j%1"_s.arg(i)), u"b2"_s);
        QVERIFY(!table.contains(u"poison"_s));
    }

    void badIdsAreRefusedBeforeTheDatabase()
    {
        // A 3,000-byte id is over PostgreSQL's btree row limit; a NUL cuts the driver's SQL.
        auto store = openStore();
        const QString huge(3000, u'x');
        auto f = store->persist(
            {write(u"a"_s, u"w1"_s, {}, u"b1"_s), write(huge, u"w1"_s, {}, u"b1"_s),
             write(u"c"_s, u"w\u0000x"_s, {}, u"b1"_s), write(u"d"_s, u"w1"_s, {}, u"b1"_s)});
        QVERIFY(settles(f));
        const PersistResults r = f.result();
        QVERIFY(r[0].ok && r[3].ok);
        QVERIFY(!r[1].ok && !r[2].ok);
        QVERIFY2(r[1].error.contains(u"job id is 3000 bytes long"_s), qPrintable(r[1].error));
        QVERIFY2(!r[1].error.contains(huge), "a huge id is shortened in messages");
        QVERIFY2(r[2].error.contains(u"worker id contains control character U+0000"_s),
                 qPrintable(r[2].error));
        QCOMPARE(tableBackends(m_url, m_schema),
                 (QHash<QString, QString>{{u"a"_s, u"b1"_s}, {u"d"_s, u"b1"_s}}));
    }

    void groupLevelFailureFailsOnce()
    {
        auto store = openStore();
        {
            DirectDb d(m_url, m_schema);
            QVERIFY(d.exec(u"DROP TABLE backend_switches"_s));
        }
        const JobStore::Stats before = store->stats();
        QList<PersistWrite> writes;
        for (int i = 0; i < 1000; ++i)
            writes.append(write(u"j%1"_s.arg(i), u"w1"_s, {}, u"b1"_s));
        auto f = store->persist(writes);
        QVERIFY(settles(f, 60000));
        for (const PersistOutcome &o : f.result()) {
            QVERIFY(!o.ok);
            QVERIFY2(o.error.contains(u"backend_switches"_s), qPrintable(o.error));
            QVERIFY2(o.error.contains(u"1000 backend change(s)"_s), qPrintable(o.error));
        }
        QCOMPARE(store->stats().transactions - before.transactions, 1u); // no retry storm
    }

    void sqliteLockTimeoutFailsOnce()
    {
        if (isPg())
            QSKIP("SQLite's write lock");
        m_options.busyTimeoutMs = 200;
        auto store = openStore();
        DirectDb holder(m_url, {}, u"holder"_s);
        QVERIFY(holder.exec(u"BEGIN IMMEDIATE"_s));
        const JobStore::Stats before = store->stats();
        QList<PersistWrite> writes;
        for (int i = 0; i < 500; ++i)
            writes.append(write(u"j%1"_s.arg(i), u"w1"_s, {}, u"b1"_s));
        auto f = store->persist(writes);
        QVERIFY(settles(f, 30000));
        for (const PersistOutcome &o : f.result())
            QVERIFY2(!o.ok && o.error.contains(u"locked"_s), qPrintable(o.error));
        QCOMPARE(store->stats().transactions - before.transactions, 1u);
        QVERIFY(holder.exec(u"ROLLBACK"_s));
    }

    void transactionsAreBounded()
    {
        auto store = openStore();
        QList<PersistWrite> writes;
        for (int i = 0; i < 10000; ++i)
            writes.append(write(u"j%1"_s.arg(i), u"w1"_s, {}, u"b%1"_s.arg(i % 3)));
        // Many small batches queued behind the big one.
        QList<QFuture<PersistResults>> futures{store->persist(writes)};
        for (int b = 0; b < 40; ++b) {
            QList<PersistWrite> small;
            for (int i = 0; i < 250; ++i)
                small.append(write(u"k%1_%2"_s.arg(b).arg(i), u"w1"_s, {}, u"b1"_s));
            futures.append(store->persist(small));
        }
        for (const auto &f : futures) {
            QVERIFY(settles(f, 60000));
            for (const PersistOutcome &o : f.result())
                QVERIFY2(o.ok, qPrintable(o.error));
        }
        const JobStore::Stats stats = store->stats();
        QVERIFY2(stats.largestGroup <= 4096, qPrintable(QString::number(stats.largestGroup)));
        QVERIFY(stats.transactions >= 6); // 20,000 writes in transactions of at most 4,096
        QCOMPARE(tableBackends(m_url, m_schema).size(), 20000);
    }

    void updatedAtIsTheCommitTime()
    {
        // A write handed out long ago (a latency fault, a queue) is stamped when it commits.
        auto store = openStore();
        const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-5);
        auto f = store->persist({write(u"late"_s, u"w1"_s, {}, u"b1"_s)}); // atMs in 2023
        QVERIFY(settles(f));
        QVERIFY(f.result().at(0).ok);
        DirectDb d(m_url, m_schema, u"stamp"_s);
        const QVariant stamp = d.scalar(u"SELECT updated_at FROM jobs WHERE id = 'late'"_s);
        const QDateTime updated = stamp.typeId() == QMetaType::QDateTime
                                      ? stamp.toDateTime()
                                      : QDateTime::fromString(stamp.toString(), Qt::ISODateWithMs);
        QVERIFY2(updated >= before, qPrintable(stamp.toString()));
        QVERIFY(updated <= QDateTime::currentDateTimeUtc().addSecs(1));
        // The switch row keeps when the switch happened.
        const QVariant at = d.scalar(u"SELECT at FROM backend_switches WHERE job_id = 'late'"_s);
        const QDateTime switched = at.typeId() == QMetaType::QDateTime
                                       ? at.toDateTime()
                                       : QDateTime::fromString(at.toString(), Qt::ISODateWithMs);
        QCOMPARE(switched.toMSecsSinceEpoch(), 1'700'000'000'000);
    }
};

QTEST_GUILESS_MAIN(TestStorePoison)
#include "tst_store_poison.moc"
