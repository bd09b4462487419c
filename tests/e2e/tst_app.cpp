// End to end: the real binary, its exit codes, messages, headless run and screenshot.
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

class TestApp : public QObject {
    Q_OBJECT

    struct Run {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Run run(const QStringList &args, const QProcessEnvironment &env = environment(),
                   int timeoutMs = 120'000)
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(STICKYBOARD_BIN), args);
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2,
                QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

    static QProcessEnvironment environment()
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), s_home->filePath(QStringLiteral("data")));
        return env;
    }

    static inline QTemporaryDir *s_home = nullptr;

private Q_SLOTS:
    void initTestCase()
    {
        s_home = new QTemporaryDir;
        QVERIFY(s_home->isValid());
    }
    void cleanupTestCase() { delete s_home; }

    void helpAndVersion()
    {
        const Run help = run({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char *option : {"--db", "--headless", "--duration", "--seed", "--fault",
                                   "--screenshot", "--quit-after"})
            QVERIFY2(help.out.contains(QLatin1String(option)), option);
        const Run version = run({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.startsWith(QLatin1String("stickyboard ")));
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::addRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::addRow("bad number") << QStringList{QStringLiteral("--headless"),
                                                   QStringLiteral("--jobs"), QStringLiteral("x")}
                                    << QStringLiteral("--jobs");
        QTest::addRow("bad fault")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--fault"),
                           QStringLiteral("fial-next=2")}
            << QStringLiteral("fial-next");
        QTest::addRow("bad db scheme")
            << QStringList{QStringLiteral("--headless"), QStringLiteral("--db"),
                           QStringLiteral("mysql://u:secret@h/db")}
            << QStringLiteral("--db");
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Run r = run(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("secret")), qPrintable(r.err));
    }

    void unreachableDatabaseIsExit3()
    {
        // Port 1 on loopback: nothing listens there.
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--duration"),
                           QStringLiteral("1"), QStringLiteral("--db"),
                           QStringLiteral("postgresql://bob:hunter2@127.0.0.1:1/fleet")});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(QLatin1String("127.0.0.1")), qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("hunter2")), qPrintable(r.err));
    }

    void headlessRunSettlesAndPersists()
    {
        const QString db = s_home->filePath(QStringLiteral("headless.db"));
        const Run r =
            run({QStringLiteral("--headless"), QStringLiteral("--duration"), QStringLiteral("2"),
                 QStringLiteral("--db"), QStringLiteral("sqlite:") + db, QStringLiteral("--jobs"),
                 QStringLiteral("20"), QStringLiteral("--rate"), QStringLiteral("20")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains(QLatin1String("final:")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("20 jobs")), qPrintable(r.err));
        QVERIFY(QFile::exists(db));
    }

    void screenshotIsARealRendering()
    {
        const QString png = s_home->filePath(QStringLiteral("shot.png"));
        const Run r = run({QStringLiteral("--db"), QStringLiteral("sqlite::memory:"),
                           QStringLiteral("--screenshot"), png, QStringLiteral("--quit-after"),
                           QStringLiteral("2")});
        QCOMPARE(r.exitCode, 0);
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1280 && image.height() >= 800);
        // Not blank: many distinct colours (text, rows, header).
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
    }
};

QTEST_GUILESS_MAIN(TestApp)
#include "tst_app.moc"
