// ctest-labels: store threads
// Commit outcome unknown: the connection to PostgreSQL drops right after COMMIT was sent.
// The store reconnects, reads the group's rows back and settles each write by what the
// table holds, so the tracker's value equals the table's (current == db).

#include "CutProxy.h"
#include "StoreTestSupport.h"

#include "tracker/TrackerTable.h"

#include <QStandardPaths>

using namespace StoreTest;
using namespace Qt::StringLiterals;

class TestStoreCommit : public QObject {
    Q_OBJECT
private:
    DbUrl m_url;
    QString m_schema;

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void init()
    {
        STORE_REQUIRE_PG();
        m_url = *pgUrl();
        m_schema = uniqueSchema();
    }
    void cleanup()
    {
        if (!m_schema.isEmpty())
            dropSchema(m_url, m_schema);
    }

    void commitOutcome_data()
    {
        QTest::addColumn<bool>("committed");
        QTest::addRow("cut after COMMIT: committed") << true;
        QTest::addRow("cut before COMMIT: not committed") << false;
    }
    void commitOutcome()
    {
        QFETCH(bool, committed);
        CutProxy proxy(m_url.host, m_url.port);
        QVERIFY(proxy.port() > 0);
        DbUrl viaProxy = m_url;
        viaProxy.host = u"127.0.0.1"_s;
        viaProxy.port = proxy.port();
        JobStore::Options options;
        options.pgSchema = m_schema;
        options.connectTimeoutS = 3;
        JobStore store(viaProxy, options);
        auto open = store.open(); // the proxy needs this thread's event loop: never block
        QVERIFY(settles(open));
        QVERIFY2(errorOf(open).isEmpty(), qPrintable(errorOf(open)));
        TrackerTable tracker(&store);
        auto settle = [&] {
            tracker.flush();
            return QTest::qWaitFor([&] { return tracker.writesInFlight() == 0; }, 30000);
        };
        for (int i = 0; i < 20; ++i)
            tracker.onEvent(u"j%1"_s.arg(i), u"w1"_s, u"b1"_s);
        QVERIFY(settle());
        QCOMPARE(tracker.counters().succeeded, 20u);

        proxy.arm(committed ? CutProxy::Cut::AfterCommit : CutProxy::Cut::BeforeCommit);
        for (int i = 0; i < 20; ++i)
            tracker.onEvent(u"j%1"_s.arg(i), u"w1"_s, i % 2 ? u"b2"_s : u"b3"_s);
        tracker.onEvent(u"new"_s, u"w2"_s, u"b2"_s);
        QVERIFY(settle());
        QCOMPARE(proxy.cuts(), 1);
        const TrackerTable::Counters c = tracker.counters();
        QCOMPARE(c.succeeded, committed ? 41u : 20u);
        QCOMPARE(c.failed, committed ? 0u : 21u);

        // current == db for every job, whichever way the COMMIT went.
        const QHash<QString, QString> table = tableBackends(m_url, m_schema);
        QCOMPARE(table.size(), committed ? 21 : 20);
        for (qsizetype job = 0; job < tracker.jobCount(); ++job) {
            const QString id = tracker.jobId(quint32(job));
            QCOMPARE(tracker.preferredBackend(quint32(job)), table.value(id));
        }
        QCOMPARE(table.value(u"j1"_s), committed ? u"b2"_s : u"b1"_s);

        // The store works on, over its new connection.
        tracker.onEvent(u"j0"_s, u"w1"_s, u"b4"_s);
        QVERIFY(settle());
        QCOMPARE(tableBackends(m_url, m_schema).value(u"j0"_s), u"b4"_s);
        QCOMPARE(tracker.preferredBackend(tracker.findJob(u"j0"_s)), u"b4"_s);
    }
};

QTEST_GUILESS_MAIN(TestStoreCommit)
#include "tst_store_commit.moc"
