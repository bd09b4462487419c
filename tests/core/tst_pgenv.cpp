// libpq's environment beside --db URLs, against the throwaway PostgreSQL (which requires a
// password over TCP): a URL without a password connects with PGPASSWORD or a pgpass file,
// PGSSLMODE=require fails clearly against a server without TLS, and the URL's sslmode and
// connect_timeout reach the driver.
#include "StoreTestSupport.h"
#include "store/StoreConnection.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class TestPgEnv : public QObject {
    Q_OBJECT

    /// The test server's URL without its password, plus `query`.
    static DbUrl withoutPassword(const QString &query = {})
    {
        const DbUrl full = *StoreTest::pgUrl();
        QString error;
        const auto url = DbUrl::parse(u"postgresql://%1@%2:%3/%4%5"_s.arg(full.user, full.host)
                                          .arg(full.port)
                                          .arg(full.database, query),
                                      &error);
        if (!url)
            qFatal("%s", qPrintable(error));
        return *url;
    }

    static bool tryOpen(const DbUrl &url, QString *error)
    {
        StoreConnection::Settings s;
        s.url = url;
        s.readOnly = true;
        const bool ok = StoreConnection::open(u"pgenv"_s, s, error);
        if (ok)
            StoreConnection::close(u"pgenv"_s);
        return ok;
    }

    QTemporaryDir m_dir;

private slots:
    void init()
    {
        STORE_REQUIRE_PG();
        // No password from anywhere but what a test sets (not root's own ~/.pgpass).
        for (const char *name : {"PGPASSWORD", "PGSSLMODE", "PGCONNECT_TIMEOUT"})
            qunsetenv(name);
        qputenv("PGPASSFILE", QFile::encodeName(m_dir.filePath(u"none"_s)));
    }
    void cleanupTestCase()
    {
        for (const char *name : {"PGPASSWORD", "PGSSLMODE", "PGPASSFILE"})
            qunsetenv(name);
    }

    void noPasswordIsRefused()
    {
        QString error;
        QVERIFY(!tryOpen(withoutPassword(), &error));
        QVERIFY2(error.contains(u"authentication failed") || error.contains(u"password"),
                 qPrintable(error));
    }

    void pgPassword()
    {
        qputenv("PGPASSWORD", StoreTest::pgUrl()->password.toUtf8());
        QString error;
        QVERIFY2(tryOpen(withoutPassword(), &error), qPrintable(error));
    }

    void pgPassFile()
    {
        const DbUrl full = *StoreTest::pgUrl();
        const QString path = m_dir.filePath(u"pgpass"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(u"%1:%2:%3:%4:%5\n"_s.arg(full.host)
                       .arg(full.port)
                       .arg(full.database, full.user, full.password)
                       .toUtf8());
        file.close();
        // libpq ignores a pgpass file that others can read.
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        qputenv("PGPASSFILE", QFile::encodeName(path));
        QString error;
        QVERIFY2(tryOpen(withoutPassword(), &error), qPrintable(error));
    }

    void pgSslModeRequireFailsClearly()
    {
        qputenv("PGPASSWORD", StoreTest::pgUrl()->password.toUtf8());
        qputenv("PGSSLMODE", "require");
        QString error;
        QVERIFY(!tryOpen(withoutPassword(), &error));
        QVERIFY2(error.contains(u"TLS to PostgreSQL server"), qPrintable(error));
        QVERIFY2(error.contains(u"SSL"), qPrintable(error)); // libpq's own words
        QVERIFY2(error.contains(u"PGSSLMODE"), qPrintable(error));
        // The URL's sslmode wins over the environment.
        QVERIFY2(tryOpen(withoutPassword(u"?sslmode=disable"_s), &error), qPrintable(error));
    }

    void urlParametersReachTheDriver()
    {
        qputenv("PGPASSWORD", StoreTest::pgUrl()->password.toUtf8());
        QString error;
        QVERIFY(!tryOpen(withoutPassword(u"?sslmode=require"_s), &error));
        QVERIFY2(error.contains(u"TLS to PostgreSQL server"), qPrintable(error));
        QVERIFY2(tryOpen(withoutPassword(u"?sslmode=prefer&connect_timeout=3"_s), &error),
                 qPrintable(error));
        // A path with a space and a quote is quoted for libpq, not split into options.
        QVERIFY2(tryOpen(withoutPassword(u"?sslmode=allow&sslrootcert=/tmp/no%20such%27ca.pem"_s),
                         &error),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPgEnv)
#include "tst_pgenv.moc"
