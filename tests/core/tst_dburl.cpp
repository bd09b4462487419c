#include "store/DbUrl.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

class TestDbUrl : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void good_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("postgres");
        QTest::addColumn<QString>("pathOrHost");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("database");
        QTest::addColumn<QString>("redacted");

        QTest::addRow("sqlite relative") << "sqlite:jobs.db" << false << "jobs.db" << 0 << ""
                                         << ""
                                         << ""
                                         << "sqlite:jobs.db";
        QTest::addRow("sqlite absolute")
            << "sqlite:/var/lib/sb/jobs.db" << false << "/var/lib/sb/jobs.db" << 0 << ""
            << ""
            << ""
            << "sqlite:/var/lib/sb/jobs.db";
        QTest::addRow("sqlite triple slash")
            << "sqlite:///tmp/x.db" << false << "/tmp/x.db" << 0 << ""
            << ""
            << ""
            << "sqlite:/tmp/x.db";
        QTest::addRow("memory") << "sqlite::memory:" << false << "" << 0 << ""
                                << ""
                                << ""
                                << "sqlite::memory:";
        QTest::addRow("postgresql full") << "postgresql://alice:s3cret@db.example:6543/fleet"
                                         << true << "db.example" << 6543 << "alice"
                                         << "s3cret"
                                         << "fleet"
                                         << "postgresql://alice:***@db.example:6543/fleet";
        QTest::addRow("postgres scheme, default port")
            << "postgres://bob:pw@10.0.0.5/jobs" << true << "10.0.0.5" << 5432 << "bob"
            << "pw"
            << "jobs"
            << "postgresql://bob:***@10.0.0.5:5432/jobs";
        QTest::addRow("no user") << "postgresql://localhost/jobs" << true << "localhost" << 5432
                                 << ""
                                 << ""
                                 << "jobs"
                                 << "postgresql://localhost:5432/jobs";
        QTest::addRow("user without password")
            << "postgresql://carol@localhost:5433/jobs" << true << "localhost" << 5433 << "carol"
            << ""
            << "jobs"
            << "postgresql://carol@localhost:5433/jobs";
        QTest::addRow("percent-encoded")
            << "postgresql://d%40ve:p%3Aw%40rd%2F%25@h:1/db%20x" << true << "h" << 1 << "d@ve"
            << "p:w@rd/%"
            << "db x"
            << "postgresql://d%40ve:***@h:1/db%20x";
        QTest::addRow("ipv6") << "postgresql://u:pw6@[::1]:5432/db" << true << "::1" << 5432 << "u"
                              << "pw6"
                              << "db"
                              << "postgresql://u:***@[::1]:5432/db";
        QTest::addRow("upper-case scheme")
            << "PostgreSQL://u:pwU@h/db" << true << "h" << 5432 << "u"
            << "pwU"
            << "db"
            << "postgresql://u:***@h:5432/db";
    }

    void good()
    {
        QFETCH(QString, text);
        QFETCH(bool, postgres);
        QFETCH(QString, pathOrHost);
        QFETCH(int, port);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, database);
        QFETCH(QString, redacted);

        QString error;
        const auto url = DbUrl::parse(text, &error);
        QVERIFY2(url, qPrintable(error));
        QCOMPARE(url->kind, postgres ? DbUrl::Kind::Postgres : DbUrl::Kind::Sqlite);
        if (postgres) {
            QCOMPARE(url->host, pathOrHost);
            QCOMPARE(url->port, port);
            QCOMPARE(url->user, user);
            QCOMPARE(url->password, password);
            QCOMPARE(url->database, database);
        } else {
            QCOMPARE(url->path, pathOrHost);
            QCOMPARE(url->inMemory, text.endsWith(u":memory:"));
        }
        QCOMPARE(url->redacted(), redacted);
        if (!password.isEmpty())
            QVERIFY(!url->redacted().contains(password));
        // What redacted() prints parses back to the same place.
        const auto again = DbUrl::parse(url->redacted(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->host, url->host);
        QCOMPARE(again->path, url->path);
        QCOMPARE(again->database, url->database);
    }

    void bad_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");

        QTest::addRow("empty") << ""
                               << "empty database URL";
        QTest::addRow("no scheme") << "jobs.db"
                                   << "missing scheme in --db URL 'jobs.db'";
        QTest::addRow("unknown scheme") << "mysql://u:topsecret@h/db"
                                        << "unknown scheme 'mysql'";
        QTest::addRow("sqlite without path") << "sqlite:"
                                             << "missing file path";
        QTest::addRow("bad port") << "postgresql://u:topsecret@h:x/db"
                                  << "bad port 'x' in --db URL postgresql://u:***@h:x/db";
        QTest::addRow("port out of range") << "postgresql://u:topsecret@h:70000/db"
                                           << "bad port '70000'";
        QTest::addRow("empty port") << "postgresql://u:topsecret@h:/db"
                                    << "bad port ''";
        QTest::addRow("missing database") << "postgresql://u:topsecret@h:5432"
                                          << "missing database name";
        QTest::addRow("missing database, slash") << "postgresql://u:topsecret@h:5432/"
                                                 << "missing database name";
        QTest::addRow("missing host") << "postgresql://u:topsecret@:5432/db"
                                      << "missing host";
        QTest::addRow("no slashes") << "postgresql:u:topsecret@h/db"
                                    << "expected 'postgresql://'";
        QTest::addRow("parameters") << "postgresql://u:topsecret@h/db?sslmode=require"
                                    << "unsupported parameters";
        QTest::addRow("bad ipv6") << "postgresql://u:topsecret@[::1/db"
                                  << "bad host";
    }

    void bad()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!DbUrl::parse(text, &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(u"topsecret"), qPrintable(error));
    }

    void defaultSqlite()
    {
        const DbUrl url = DbUrl::defaultSqlite();
        QCOMPARE(url.kind, DbUrl::Kind::Sqlite);
        QVERIFY(!url.inMemory);
        QCOMPARE(QFileInfo(url.path).fileName(), QStringLiteral("stickyboard.db"));
        QVERIFY(QFileInfo(url.path).absoluteDir().exists());
        QCOMPARE(QFileInfo(url.path).absolutePath(),
                 QStandardPaths::writableLocation(QStandardPaths::AppDataLocation));
    }
};

QTEST_GUILESS_MAIN(TestDbUrl)
#include "tst_dburl.moc"
