// Where the --listen bearer token comes from: a file (preferred), the environment, or argv
// (with a warning); and that no message ever quotes it.
// ctest-labels: threads http
#include "http/ListenToken.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_HttpToken : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString file(const QString &name, const QByteArray &contents)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(contents) != contents.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private Q_SLOTS:
    void fromFile_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addRow("plain") << QByteArray("s3cret-token");
        QTest::addRow("trailing newline") << QByteArray("s3cret-token\n");
        QTest::addRow("crlf") << QByteArray("s3cret-token\r\n");
        QTest::addRow("blank lines after") << QByteArray("s3cret-token\n\n");
    }
    void fromFile()
    {
        QFETCH(QByteArray, contents);
        ListenToken::Sources sources;
        sources.file = file(u"token"_s, contents);
        sources.environment = "ignored-when-a-file-is-given";
        QString warning, error;
        const std::optional<QString> token = ListenToken::resolve(sources, &warning, &error);
        QVERIFY2(token, qPrintable(error));
        QCOMPARE(*token, u"s3cret-token"_s);
        QVERIFY(warning.isEmpty());
    }

    void badFiles_data()
    {
        QTest::addColumn<QByteArray>("contents"); // empty name: the file does not exist
        QTest::addColumn<QString>("says");
        QTest::addRow("missing") << QByteArray() << u"cannot read it"_s;
        QTest::addRow("empty") << QByteArray("") << u"is empty"_s;
        QTest::addRow("only a newline") << QByteArray("\n") << u"is empty"_s;
        QTest::addRow("two words") << QByteArray("s3cret token\n") << u"a space"_s;
        QTest::addRow("two lines") << QByteArray("s3cret\ntoken\n") << u"control character"_s;
        QTest::addRow("huge") << QByteArray(8192, 'a') << u"longer than 4096"_s;
    }
    void badFiles()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, says);
        const bool missing = QByteArray(QTest::currentDataTag()) == "missing";
        const QString path = missing ? m_dir.filePath(u"nope"_s) : file(u"bad"_s, contents);
        ListenToken::Sources sources;
        sources.file = path;
        QString warning, error;
        QVERIFY(!ListenToken::resolve(sources, &warning, &error));
        QVERIFY2(error.contains(u"--listen-token-file "_s + path), qPrintable(error));
        QVERIFY2(error.contains(says), qPrintable(error));
        QVERIFY2(!error.contains(u"s3cret"_s), qPrintable(error)); // never the token
    }

    void fromEnvironment()
    {
        ListenToken::Sources sources;
        sources.environment = "env-token\n";
        QString warning, error;
        const std::optional<QString> token = ListenToken::resolve(sources, &warning, &error);
        QVERIFY2(token, qPrintable(error));
        QCOMPARE(*token, u"env-token"_s);
        QVERIFY(warning.isEmpty());
        sources.environment = "env token";
        QVERIFY(!ListenToken::resolve(sources, &warning, &error));
        QVERIFY2(error.contains(u"STICKYBOARD_LISTEN_TOKEN"_s), qPrintable(error));
        QVERIFY(!error.contains(u"env token"_s));
    }

    void argumentWarns()
    {
        ListenToken::Sources sources;
        sources.argument = u"argv-token"_s;
        QString warning, error;
        const std::optional<QString> token = ListenToken::resolve(sources, &warning, &error);
        QVERIFY2(token, qPrintable(error));
        QCOMPARE(*token, u"argv-token"_s);
        QVERIFY2(warning.contains(u"every local user can read it"_s), qPrintable(warning));
        QVERIFY(warning.contains(u"--listen-token-file"_s));
        QVERIFY(!warning.contains(u"argv-token"_s));
    }

    void theBinaryWarnsAndRefuses()
    {
        // The real command line: the argv warning on stderr (never the token), and an empty
        // token file as a usage error naming it. Next to this test in the build tree.
        const QString binary = QCoreApplication::applicationDirPath() + u"/../app/stickyboard"_s;
        if (!QFile::exists(binary))
            QSKIP("the stickyboard binary is not built next to this test");
        const auto run = [&](const QStringList &args, const QByteArray &envToken = {}) {
            QProcess p;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.remove(u"STICKYBOARD_LISTEN_TOKEN"_s);
            if (!envToken.isEmpty())
                env.insert(u"STICKYBOARD_LISTEN_TOKEN"_s, QString::fromUtf8(envToken));
            env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
            p.setProcessEnvironment(env);
            p.start(binary, args);
            if (!p.waitForFinished(30'000))
                qFatal("stickyboard did not finish");
            return std::pair{p.exitCode(), p.readAllStandardError()};
        };
        // --print-watch-sql exits right after the command line is parsed.
        const QStringList listen{u"--headless"_s, u"--listen"_s, u"127.0.0.1:0"_s};
        auto [code, err] = run(
            listen + QStringList{u"--listen-token"_s, u"argv-s3cret"_s, u"--print-watch-sql"_s});
        QCOMPARE(code, 0);
        QVERIFY2(err.contains("warning: --listen-token puts the token on the command line"), err);
        QVERIFY(!err.contains("argv-s3cret"));
        const QString empty = file(u"empty"_s, "");
        std::tie(code, err) = run(listen + QStringList{u"--listen-token-file"_s, empty});
        QCOMPARE(code, 2);
        QVERIFY2(err.contains(("--listen-token-file " + empty + " is empty").toUtf8()), err);
        const QString good = file(u"good"_s, "file-s3cret\n");
        std::tie(code, err) =
            run(listen + QStringList{u"--listen-token-file"_s, good, u"--print-watch-sql"_s});
        QCOMPARE(code, 0);
        QVERIFY2(!err.contains("warning"), err);
        std::tie(code, err) = run(
            {u"--headless"_s, u"--listen"_s, u"0.0.0.0:0"_s, u"--print-watch-sql"_s}, "env-s3cret");
        QCOMPARE(code, 0); // the environment's token makes a public bind acceptable
        QVERIFY2(!err.contains("warning") && !err.contains("env-s3cret"), err);
    }

    void conflictsAndNothing()
    {
        ListenToken::Sources both;
        both.argument = u"a"_s;
        both.file = file(u"t"_s, "b\n");
        QString warning, error;
        QVERIFY(!ListenToken::resolve(both, &warning, &error));
        QVERIFY2(error.contains(u"cannot both"_s), qPrintable(error));
        ListenToken::Sources none;
        const std::optional<QString> token = ListenToken::resolve(none, &warning, &error);
        QVERIFY(token && token->isEmpty());
        ListenToken::Sources emptyArgument;
        emptyArgument.argument = QString();
        QVERIFY(!ListenToken::resolve(emptyArgument, &warning, &error));
        QVERIFY2(error.contains(u"needs a value"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_HttpToken)
#include "tst_httptoken.moc"
