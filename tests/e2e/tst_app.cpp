// End to end: the real binary, its exit codes, messages, headless run and screenshot.
#include "AppRunner.h"

#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

class TestApp : public QObject {
    Q_OBJECT

    using Run = AppRunner::Run;

    static Run run(const QStringList &args, const QProcessEnvironment &env = environment(),
                   int timeoutMs = 120'000, const QByteArray &input = {})
    {
        return AppRunner::run(args, env, timeoutMs, input);
    }
    static QProcessEnvironment environment() { return AppRunner::environment(s_home->path()); }

    static inline QTemporaryDir *s_home = nullptr;

    static QString dataFile(const QString &name)
    {
        return QStringLiteral(STICKYBOARD_TEST_DATA "/") + name;
    }
    static QByteArray readAll(const QString &path) { return AppRunner::readAll(path); }

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
        for (const char *option :
             {"--db",      "--headless",        "--duration",    "--seed",
              "--jobs",    "--workers",         "--backends",    "--rate",
              "--fault",   "--replay",          "--speed",       "--record",
              "--report",  "--screenshot",      "--quit-after",  "--version",
              "--help",    "--watch",           "--watch-table", "--watch-columns",
              "--poll-ms", "--print-watch-sql", "--listen",      "--listen-token"})
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

    void unusableDatabaseIsExit3_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("named");
        QTest::addRow("corrupt file")
            << QStringLiteral("sqlite:%1/corrupt.db") << QStringLiteral("corrupt.db");
        QTest::addRow("unwritable path") << QStringLiteral("sqlite:/proc/stickyboard/x.db")
                                         << QStringLiteral("/proc/stickyboard/x.db");
    }
    void unusableDatabaseIsExit3()
    {
        QFETCH(QString, url);
        QFETCH(QString, named);
        {
            QFile garbage(s_home->filePath(QStringLiteral("corrupt.db")));
            QVERIFY(garbage.open(QIODevice::WriteOnly));
            garbage.write(QByteArray(8192, 'x'));
        }
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--duration"),
                           QStringLiteral("1"), QStringLiteral("--db"),
                           QString(url).replace(QLatin1String("%1"), s_home->path())});
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
        // Nothing was lost: the unusable file is left as it was.
        QFile garbage(s_home->filePath(QStringLiteral("corrupt.db")));
        QVERIFY(garbage.open(QIODevice::ReadOnly));
        QCOMPARE(garbage.readAll(), QByteArray(8192, 'x'));
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
        const QRegularExpression writes(QStringLiteral("final: .* writes (\\d+) ok / 0 failed"));
        const QRegularExpressionMatch m = writes.match(r.err);
        QVERIFY2(m.hasMatch() && m.captured(1).toInt() > 0, qPrintable(r.err));
        QVERIFY(QFile::exists(db));
    }

    void ctrlCEndsCleanlyWithWritesSettled()
    {
        const QString report = s_home->filePath(QStringLiteral("sigint.json"));
        QProcess p;
        p.setProcessEnvironment(environment());
        p.start(QStringLiteral(STICKYBOARD_BIN),
                {QStringLiteral("--headless"), QStringLiteral("--db"),
                 QStringLiteral("sqlite::memory:"), QStringLiteral("--rate"), QStringLiteral("20"),
                 QStringLiteral("--report"), report});
        QVERIFY(p.waitForStarted());
        QTest::qWait(2500); // let it run: jobs resolve and write
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QLatin1String("final:")));
        // Every write settled before exit: the database agrees with every tracker.
        const QJsonObject r = QJsonDocument::fromJson(readAll(report)).object();
        const QJsonObject persist = r.value(QLatin1String("persist")).toObject();
        QVERIFY(persist.value(QLatin1String("succeeded")).toInt() > 0);
        for (const QJsonValue &job : r.value(QLatin1String("jobs")).toArray())
            QCOMPARE(job[QLatin1String("db")], job[QLatin1String("current")]);
    }

    void replayReportIsExact()
    {
        // tests/data/replay-basic.jsonl, worked out by hand in tests/data/README.md.
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--replay"),
                           dataFile(QStringLiteral("replay-basic.jsonl")),
                           QStringLiteral("--report"), QStringLiteral("-")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(QLatin1String("mode")).toString(), QStringLiteral("replay"));
        QCOMPARE(report.value(QLatin1String("events")).toInt(), 7);
        QCOMPARE(report.value(QLatin1String("badLines")).toInt(), 4);
        const QJsonObject persist = report.value(QLatin1String("persist")).toObject();
        QCOMPARE(persist.value(QLatin1String("attempted")).toInt(), 6);
        QCOMPARE(persist.value(QLatin1String("succeeded")).toInt(), 4);
        QCOMPARE(persist.value(QLatin1String("failed")).toInt(), 2);
        QCOMPARE(report.value(QLatin1String("switches")).toInt(), 1);
        QCOMPARE(report.value(QLatin1String("retriesRecovered")).toInt(), 1);
        QCOMPARE(report.value(QLatin1String("staleJobs")).toInt(), 1);
        const QJsonArray jobs = report.value(QLatin1String("jobs")).toArray();
        QCOMPARE(jobs.size(), 3);
        const QJsonObject j2 = jobs.at(1).toObject();
        QCOMPARE(j2.value(QLatin1String("job")).toString(), QStringLiteral("j2"));
        QCOMPARE(j2.value(QLatin1String("current")).toString(), QStringLiteral("b3"));
        QCOMPARE(j2.value(QLatin1String("db")).toString(), QStringLiteral("b3"));
        QCOMPARE(j2.value(QLatin1String("observed")).toString(), QStringLiteral("b1"));
        QCOMPARE(j2.value(QLatin1String("persistFailures")).toInt(), 1);
        // Bad lines are named with their line numbers on stderr, and the stream went on.
        QVERIFY2(r.err.contains(QLatin1String("line 7: missing job")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("line 9:")), qPrintable(r.err));

        // The same file gives the same report every time.
        const Run again = run({QStringLiteral("--headless"), QStringLiteral("--replay"),
                               dataFile(QStringLiteral("replay-basic.jsonl")),
                               QStringLiteral("--report"), QStringLiteral("-")});
        QCOMPARE(again.out, r.out);
    }

    void replayFromStdin()
    {
        QFile file(dataFile(QStringLiteral("replay-basic.jsonl")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--replay"),
                           QStringLiteral("-"), QStringLiteral("--report"), QStringLiteral("-")},
                          environment(), 120000, file.readAll());
        QCOMPARE(r.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(QLatin1String("events")).toInt(), 7);
        QCOMPARE(report.value(QLatin1String("badLines")).toInt(), 4);
    }

    void unreadableReplayIsExit2()
    {
        const QString missing = s_home->filePath(QStringLiteral("no-such-trace.jsonl"));
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--replay"), missing});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(missing), qPrintable(r.err));
    }

    void sameSeedRecordsTheSameFileAndItReplays()
    {
        QStringList records;
        QStringList reports;
        for (int i = 0; i < 2; ++i) {
            records << s_home->filePath(QStringLiteral("rec%1.jsonl").arg(i));
            reports << s_home->filePath(QStringLiteral("rep%1.json").arg(i));
            const Run r =
                run({QStringLiteral("--headless"), QStringLiteral("--db"),
                     QStringLiteral("sqlite::memory:"), QStringLiteral("--seed"),
                     QStringLiteral("11"), QStringLiteral("--duration"), QStringLiteral("4"),
                     QStringLiteral("--rate"), QStringLiteral("8"), QStringLiteral("--record"),
                     records.last(), QStringLiteral("--report"), reports.last()});
            QCOMPARE(r.exitCode, 0);
        }
        const QByteArray first = readAll(records.at(0));
        QVERIFY(first.count('\n') > 20);
        QCOMPARE(readAll(records.at(1)), first);

        // Record -> replay: the same trackers, writes and database.
        const Run replay = run({QStringLiteral("--headless"), QStringLiteral("--replay"),
                                records.at(0), QStringLiteral("--report"), QStringLiteral("-")});
        QCOMPARE(replay.exitCode, 0);
        QJsonObject simulated = QJsonDocument::fromJson(readAll(reports.at(0))).object();
        QJsonObject replayed = QJsonDocument::fromJson(replay.out.toUtf8()).object();
        QCOMPARE(simulated.take(QLatin1String("mode")).toString(), QStringLiteral("simulate"));
        QCOMPARE(replayed.take(QLatin1String("mode")).toString(), QStringLiteral("replay"));
        QCOMPARE(replayed, simulated);
    }

    void unicodeAndQuotedIdsReachTheDatabase()
    {
        const QString trace = s_home->filePath(QStringLiteral("unicode.jsonl"));
        const QString job = QStringLiteral("jöb \"quoted\" 'single' ✓");
        const QString backend = QStringLiteral("backend/ümlaut\\\\x");
        {
            QFile f(trace);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QJsonObject line{{QStringLiteral("job"), job},
                             {QStringLiteral("worker"), QStringLiteral("wörker")},
                             {QStringLiteral("backend"), backend}};
            f.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + "\n");
        }
        const QString db = s_home->filePath(QStringLiteral("unicode.db"));
        const Run r = run({QStringLiteral("--headless"), QStringLiteral("--replay"), trace,
                           QStringLiteral("--db"), QStringLiteral("sqlite:") + db});
        QCOMPARE(r.exitCode, 0);
        {
            QSqlDatabase conn =
                QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
            conn.setDatabaseName(db);
            QVERIFY(conn.open());
            QSqlQuery q(conn);
            QVERIFY(q.exec(QStringLiteral("SELECT id, worker_id, last_backend_id FROM jobs")));
            QVERIFY(q.next());
            QCOMPARE(q.value(0).toString(), job);
            QCOMPARE(q.value(1).toString(), QStringLiteral("wörker"));
            QCOMPARE(q.value(2).toString(), backend);
        }
        QSqlDatabase::removeDatabase(QStringLiteral("check"));
    }

    static void verifyRealRendering(const QString &png)
    {
        QImage image(png);
        QVERIFY2(!image.isNull(), qPrintable(png));
        QVERIFY(image.width() >= 1280 && image.height() >= 800);
        // Not blank: many distinct colours (text, lanes, pets, badges) all over the window.
        QSet<QRgb> colours;
        QSet<int> busyBands; // horizontal eighths with more than one colour
        for (int y = 0; y < image.height(); y += 5) {
            QSet<QRgb> row;
            for (int x = 0; x < image.width(); x += 5)
                row.insert(image.pixel(x, y));
            colours.unite(row);
            if (row.size() > 2)
                busyBands.insert(y * 8 / image.height());
        }
        QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
        QVERIFY2(busyBands.size() >= 4, qPrintable(QString::number(busyBands.size())));
    }

    void screenshotIsARealRendering()
    {
        const QString png = s_home->filePath(QStringLiteral("shot.png"));
        const Run r =
            run({QStringLiteral("--replay"), dataFile(QStringLiteral("replay-basic.jsonl")),
                 QStringLiteral("--screenshot"), png, QStringLiteral("--quit-after"),
                 QStringLiteral("3")});
        QCOMPARE(r.exitCode, 0);
        verifyRealRendering(png);
    }

    void screenshotUnderXvfbOnOpenGl()
    {
        const QString xvfbRun = QStandardPaths::findExecutable(QStringLiteral("xvfb-run"));
        if (xvfbRun.isEmpty()) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("xvfb-run is missing; ./dev.sh installs it");
            QSKIP("xvfb-run is not installed");
        }
        const QString png = s_home->filePath(QStringLiteral("xvfb.png"));
        QProcessEnvironment env = environment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("QSG_INFO"), QStringLiteral("1"));
        // Under ASan: Mesa's GL driver is unloaded at exit, so LeakSanitizer reports its
        // allocations from an "<unknown module>" nothing can suppress. Our own code's leaks
        // are checked by the offscreen runs.
        env.insert(QStringLiteral("ASAN_OPTIONS"),
                   qEnvironmentVariable("ASAN_OPTIONS") + QStringLiteral(":detect_leaks=0"));
        QProcess p;
        p.setProcessEnvironment(env);
        p.start(xvfbRun,
                {QStringLiteral("-a"), QStringLiteral("-s"),
                 QStringLiteral("-screen 0 1600x1000x24"), QStringLiteral(STICKYBOARD_BIN),
                 QStringLiteral("--replay"), dataFile(QStringLiteral("replay-basic.jsonl")),
                 QStringLiteral("--screenshot"), png, QStringLiteral("--quit-after"),
                 QStringLiteral("3")});
        QVERIFY(p.waitForFinished(120000));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitCode(), 0);
        QVERIFY2(err.contains(QLatin1String("backend OpenGL")), qPrintable(err));
        verifyRealRendering(png);
    }
};

QTEST_GUILESS_MAIN(TestApp)
#include "tst_app.moc"
