#include "store/DbUrl.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;

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
        QTest::addRow("unknown parameter") << "postgresql://u:topsecret@h/db?sslmod=require"
                                           << "unknown parameter 'sslmod'";
        QTest::addRow("password parameter") << "postgresql://u@h/db?password=topsecret"
                                            << "password= is not taken as a URL parameter";
        QTest::addRow("bad sslmode") << "postgresql://u:topsecret@h/db?sslmode=always"
                                     << "bad sslmode (expected disable, allow";
        QTest::addRow("bad connect_timeout") << "postgresql://u:topsecret@h/db?connect_timeout=0"
                                             << "bad connect_timeout (seconds";
        QTest::addRow("parameter twice")
            << "postgresql://u:topsecret@h/db?sslmode=require&sslmode=disable"
            << "parameter 'sslmode' given twice";
        QTest::addRow("parameter without value") << "postgresql://u:topsecret@h/db?sslcert="
                                                 << "parameter 'sslcert' has no value";
        QTest::addRow("semicolon in a value")
            << "postgresql://u:topsecret@h/db?sslkey=/a;application_name=x"
            << "parameter 'sslkey' contains ';'";
        QTest::addRow("fragment") << "postgresql://u:topsecret@h/db#x"
                                  << "unexpected '#'";
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

    // Issue 11: whatever the shape of the URL, no error quotes the password.
    void passwordNeverQuoted_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("parses");

        QTest::addRow("slash in password (issue)") << "postgresql://u:SEC/RETPW@h:x/db"
                                                   << "SEC/RETPW" << false;
        QTest::addRow("slash in password, bad port") << "postgresql://u:SEC/RETPW@h/db?sslmode=nope"
                                                     << "SEC/RETPW" << false;
        QTest::addRow("slash in password parses") << "postgresql://u:SEC/RETPW@h/db"
                                                  << "SEC/RETPW" << true;
        QTest::addRow("at in password") << "postgresql://u:p@ss@h:99999/db"
                                        << "p@ss" << false;
        QTest::addRow("colon in password") << "postgresql://u:pa:ss@h:0/db"
                                           << "pa:ss" << false;
        QTest::addRow("question mark in password") << "postgresql://u:pa?ss=1@h/db?bogus=1"
                                                   << "pa?ss=1" << false;
        QTest::addRow("hash in password") << "postgresql://u:pa#ss@h"
                                          << "pa#ss" << false;
        QTest::addRow("no slashes") << "postgresql:u:hunter22@h/db"
                                    << "hunter22" << false;
        QTest::addRow("no slashes, unknown scheme") << "postgre:u:hunter22@h/db"
                                                    << "hunter22" << false;
        QTest::addRow("no slashes, // in password") << "postgresql:u:hun//ter22@h/db"
                                                    << "hun//ter22" << false;
        QTest::addRow("second '?' (fuzz_dburl)")
            << "postgresql://u@h/db?sslmode=require?password=hunter22"
            << "hunter22" << false;
        QTest::addRow("'?' in a parameter value (fuzz_dburl)")
            << "postgresql://u@h/db?sslrootcert=/ca.pem?password=hunter22"
            << "hunter22" << false;
        QTest::addRow("'@' in a password parameter (fuzz_dburl)")
            << "postgresql://u@?password=hun@ter22:5432/db"
            << "ter22" << false;
        QTest::addRow("no scheme") << ":hunter22@h/db"
                                   << "hunter22" << false;
        QTest::addRow("no scheme, user") << "u:hunter22@h/db"
                                         << "hunter22" << false;
        QTest::addRow("unknown scheme") << "mysql://u:hunter22@h/db"
                                        << "hunter22" << false;
        QTest::addRow("percent-encoded, bad port") << "postgresql://u:hun%74er22@h:p/db"
                                                   << "hun%74er22" << false;
        QTest::addRow("percent-encoded, decoded") << "postgresql://u:hun%74er22@h:p/db"
                                                  << "hunter22" << false;
        QTest::addRow("missing host") << "postgresql://u:hunter22@/db"
                                      << "hunter22" << false;
        QTest::addRow("missing database") << "postgresql://u:hunter22@h"
                                          << "hunter22" << false;
        QTest::addRow("empty user") << "postgresql://:hunter22@h:x/db"
                                    << "hunter22" << false;
        QTest::addRow("no @: user:password read as host:port") << "postgresql://u:hunter22/db"
                                                               << "hunter22" << false;
        QTest::addRow("no @, slash in password") << "postgresql://u:hunter22/xyz/db"
                                                 << "xyz" << false;
        QTest::addRow("password parameter") << "postgresql://u@h:x/db?password=hunter22"
                                            << "hunter22" << false;
        QTest::addRow("bad ipv6") << "postgresql://u:hunter22@[::1/db"
                                  << "hunter22" << false;
        QTest::addRow("everything odd") << "  PostgreSQL://u:a/b@c:d?e#f@@[x:y]:z/?q  "
                                        << "a/b@c:d?e#f@" << false;
    }

    void passwordNeverQuoted()
    {
        QFETCH(QString, text);
        QFETCH(QString, password);
        QFETCH(bool, parses);
        QString error;
        const auto url = DbUrl::parse(text, &error);
        QCOMPARE(bool(url), parses);
        QVERIFY2(!error.contains(password), qPrintable(error));
        QVERIFY2(!DbUrl::redactText(text).contains(password), qPrintable(DbUrl::redactText(text)));
        if (url) {
            QVERIFY2(!url->redacted().contains(password), qPrintable(url->redacted()));
            QCOMPARE(url->password, password);
        } else {
            QVERIFY(!error.isEmpty());
        }
    }

    void parameters()
    {
        QString error;
        const auto url = DbUrl::parse(
            u"postgresql://u:pw@h/db?sslmode=verify-full&sslrootcert=/etc/ssl/my%20ca.pem"
            "&sslcert=/c.pem&sslkey=/k.pem&connect_timeout=7"_s,
            &error);
        QVERIFY2(url, qPrintable(error));
        QCOMPARE(url->params.value(u"sslmode"_s), u"verify-full"_s);
        QCOMPARE(url->params.value(u"sslrootcert"_s), u"/etc/ssl/my ca.pem"_s);
        QCOMPARE(url->params.value(u"sslcert"_s), u"/c.pem"_s);
        QCOMPARE(url->params.value(u"sslkey"_s), u"/k.pem"_s);
        QCOMPARE(url->params.value(u"connect_timeout"_s), u"7"_s);
        QCOMPARE(url->database, u"db"_s);
        // Printed back with the parameters, and that parses to the same.
        QCOMPARE(url->redacted(), u"postgresql://u:***@h:5432/db?connect_timeout=7&sslcert=/c.pem"
                                  "&sslkey=/k.pem&sslmode=verify-full"
                                  "&sslrootcert=/etc/ssl/my%20ca.pem"_s);
        const auto again = DbUrl::parse(url->redacted(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->params, url->params);
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
