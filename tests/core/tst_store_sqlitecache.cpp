// ctest-labels: store
// The store's SQLite connection settings that bound its memory: clean pages are kept up to
// cache_size only (a 64 MiB cache kept every appended backend_switches page, so a long run's
// RSS rose with the table), while a large group's dirty pages still stay in memory until
// the commit and spill to the WAL only past about 64 MiB.
#include "store/StoreConnection.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestStoreSqliteCache : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static qint64 pragma(QSqlQuery &q, const QString &name)
    {
        if (!q.exec(u"PRAGMA "_s + name) || !q.next())
            return -1;
        return q.value(0).toLongLong();
    }

private slots:
    void cacheBoundedGroupsUnspilled()
    {
        QVERIFY(m_dir.isValid());
        const QString file = m_dir.filePath(u"cache.db"_s);
        QString error;
        const auto url = DbUrl::parse(u"sqlite:"_s + file, &error);
        QVERIFY2(url, qPrintable(error));
        StoreConnection::Settings s;
        s.url = *url;
        QVERIFY2(StoreConnection::open(u"cache"_s, s, &error), qPrintable(error));
        {
            QSqlDatabase db = QSqlDatabase::database(u"cache"_s);
            QSqlQuery q(db);
            QCOMPARE(pragma(q, u"cache_size"_s), -2000);
            // 0 would mean spilling is off: a huge group's dirty pages would never leave RAM.
            QCOMPARE(pragma(q, u"cache_spill"_s), 16383);
            QVERIFY(q.exec(u"CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"_s));
            QVERIFY(db.transaction());
            QVERIFY(q.prepare(u"INSERT INTO t (v) VALUES (?)"_s));
            const QString row(200, u'x');
            for (int i = 0; i < 50'000; ++i) { // ~12 MB of pages, 6x the clean cache
                q.bindValue(0, row);
                QVERIFY(q.exec());
            }
            // Nothing spilled before the commit: the WAL holds at most its header.
            QVERIFY2(QFileInfo(file + u"-wal"_s).size() < 64 * 1024,
                     qPrintable(u"%1 bytes in the WAL before COMMIT"_s.arg(
                         QFileInfo(file + u"-wal"_s).size())));
            QVERIFY(db.commit());
            QVERIFY(QFileInfo(file + u"-wal"_s).size() > 10'000'000);
        }
        StoreConnection::close(u"cache"_s);
    }
};

QTEST_GUILESS_MAIN(TestStoreSqliteCache)
#include "tst_store_sqlitecache.moc"
