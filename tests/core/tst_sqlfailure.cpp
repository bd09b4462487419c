// ctest-labels: store
// Which failures split a group (a refused row) and which fail it once (everything else),
// by the codes the Qt drivers report: SQLite result codes, PostgreSQL SQLSTATEs.

#include "store/SqlFailure.h"

#include <QSqlError>
#include <QTest>

using namespace Qt::StringLiterals;
using Scope = SqlFailure::Scope;

class TestSqlFailure : public QObject {
    Q_OBJECT
private slots:
    void scope_data()
    {
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("rows");
        QTest::addRow("sqlite constraint / RAISE(ABORT)") << false << u"19"_s << true;
        QTest::addRow("sqlite extended constraint trigger") << false << u"1811"_s << true;
        QTest::addRow("sqlite too big") << false << u"18"_s << true;
        QTest::addRow("sqlite mismatch") << false << u"20"_s << true;
        QTest::addRow("sqlite busy") << false << u"5"_s << false;
        QTest::addRow("sqlite locked") << false << u"6"_s << false;
        QTest::addRow("sqlite read-only") << false << u"8"_s << false;
        QTest::addRow("sqlite I/O error") << false << u"10"_s << false;
        QTest::addRow("sqlite disk full") << false << u"13"_s << false;
        QTest::addRow("sqlite no such table") << false << u"1"_s << false;
        QTest::addRow("sqlite no code") << false << QString() << false;
        QTest::addRow("pg check constraint") << true << u"23514"_s << true;
        QTest::addRow("pg unique") << true << u"23505"_s << true;
        QTest::addRow("pg bad encoding") << true << u"22021"_s << true;
        QTest::addRow("pg btree row too large") << true << u"54000"_s << true;
        QTest::addRow("pg raise") << true << u"P0001"_s << true;
        QTest::addRow("pg upsert twice") << true << u"21000"_s << true;
        QTest::addRow("pg connection failure") << true << u"08006"_s << false;
        QTest::addRow("pg disk full") << true << u"53100"_s << false;
        QTest::addRow("pg admin shutdown") << true << u"57P01"_s << false;
        QTest::addRow("pg serialization") << true << u"40001"_s << false;
        QTest::addRow("pg deadlock") << true << u"40P01"_s << false;
        QTest::addRow("pg lock timeout") << true << u"55P03"_s << false;
        QTest::addRow("pg read-only") << true << u"25006"_s << false;
        QTest::addRow("pg undefined table") << true << u"42P01"_s << false;
        QTest::addRow("pg server gone, no code") << true << QString() << false;
    }
    void scope()
    {
        QFETCH(bool, postgres);
        QFETCH(QString, code);
        QFETCH(bool, rows);
        const QSqlError error(u"driver"_s, u"database"_s, QSqlError::StatementError, code);
        QCOMPARE(SqlFailure::scopeOf(error, postgres ? Dialect::Postgres : Dialect::Sqlite),
                 rows ? Scope::Rows : Scope::Group);
    }
    void hints()
    {
        auto hint = [](Dialect d, const QString &code) {
            return SqlFailure::hint(QSqlError({}, {}, QSqlError::StatementError, code), d);
        };
        QVERIFY(hint(Dialect::Sqlite, u"13"_s).contains(u"the disk is full"_s));
        QVERIFY(hint(Dialect::Postgres, u"53100"_s).contains(u"the disk is full"_s));
        QVERIFY(hint(Dialect::Postgres, u"57P01"_s).contains(u"shutting down"_s));
        QVERIFY(hint(Dialect::Sqlite, u"19"_s).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSqlFailure)
#include "tst_sqlfailure.moc"
