// End to end: every way a run ends (window closed, SIGINT, SIGTERM, --duration, --quit-after,
// the end of a replay), in the window and headless, settles every write and writes the
// report, or says why not with exit 3 or 130 — within its time limit, never hanging.
#include "AppRunner.h"
#include "RunningApp.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

class TestShutdown : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;
    QNetworkAccessManager m_nam;

    QProcessEnvironment env() const { return AppRunner::environment(m_home.path()); }
    QString path(const QString &name) const { return m_home.filePath(name); }

    /// A small simulation on its own SQLite file, serving HTTP (the sign that it is ready).
    QStringList simulation(const QString &name, bool gui, const QStringList &extra = {}) const
    {
        QStringList args{
            QStringLiteral("--db"),      QStringLiteral("sqlite:") + path(name + ".db"),
            QStringLiteral("--jobs"),    QStringLiteral("6"),
            QStringLiteral("--workers"), QStringLiteral("6"),
            QStringLiteral("--rate"),    QStringLiteral("20"),
            QStringLiteral("--listen"),  QStringLiteral("127.0.0.1:0"),
            QStringLiteral("--report"),  path(name + ".json")};
        if (!gui)
            args.prepend(QStringLiteral("--headless"));
        return args + extra;
    }
    static QStringList latencyFault()
    {
        return {QStringLiteral("--fault"), QStringLiteral("latency-ms=600000")};
    }
    /// Until a write is held (or blocked): what the shutdown then has to settle.
    bool waitForWritesInFlight(const QString &base)
    {
        return QTest::qWaitFor(
            [&] { return Http::metric(m_nam, base, "stickyboard_writes_in_flight") >= 1; }, 30'000);
    }
    static QJsonObject readReport(const QString &file)
    {
        return QJsonDocument::fromJson(AppRunner::readAll(file)).object();
    }
    /// Every write settled and the report agrees with the database.
    static void verifySettledReport(const QJsonObject &report)
    {
        QVERIFY2(!report.isEmpty(), "no report was written");
        const QJsonObject persist = report.value(QStringLiteral("persist")).toObject();
        const int attempted = persist.value(QStringLiteral("attempted")).toInt();
        QVERIFY(attempted > 0);
        QCOMPARE(persist.value(QStringLiteral("succeeded")).toInt() +
                     persist.value(QStringLiteral("failed")).toInt(),
                 attempted);
        for (const QJsonValue &job : report.value(QStringLiteral("jobs")).toArray()) {
            const QJsonObject j = job.toObject();
            QCOMPARE(j.value(QStringLiteral("current")), j.value(QStringLiteral("db")));
        }
    }
    /// Holds SQLite's write lock on `file` from here until rollback(): the app's writes wait.
    struct WriteLock {
        QString name;
        explicit WriteLock(const QString &file) : name(QStringLiteral("lock-") + file)
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(file);
            if (!db.open() || !QSqlQuery(db).exec(QStringLiteral("BEGIN EXCLUSIVE")))
                qFatal("cannot lock %s", qPrintable(file));
        }
        void rollback()
        {
            {
                QSqlDatabase db = QSqlDatabase::database(name);
                QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
                db.close();
            }
            QSqlDatabase::removeDatabase(name);
            name.clear();
        }
        ~WriteLock()
        {
            if (!name.isEmpty())
                rollback();
        }
    };

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void signalReleasesHeldWritesAndReports_data()
    {
        QTest::addColumn<bool>("gui");
        QTest::addColumn<int>("sig");
        QTest::addRow("headless SIGINT") << false << SIGINT;
        QTest::addRow("headless SIGTERM") << false << SIGTERM;
        QTest::addRow("window SIGINT") << true << SIGINT;
        QTest::addRow("window SIGTERM") << true << SIGTERM;
    }
    void signalReleasesHeldWritesAndReports()
    {
        QFETCH(bool, gui);
        QFETCH(int, sig);
        const QString name = QStringLiteral("signal-%1-%2").arg(gui).arg(sig);
        RunningApp app(simulation(name, gui, latencyFault()), env());
        const QString base = app.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(app.err()));
        QVERIFY(waitForWritesInFlight(base)); // held for ten minutes by the fault
        QElapsedTimer clock;
        clock.start();
        app.signal(sig);
        const int code = app.waitForExit(10'000);
        QVERIFY2(code == 0, qPrintable(QStringLiteral("exit %1 after %2 ms: %3")
                                           .arg(code)
                                           .arg(clock.elapsed())
                                           .arg(app.err())));
        verifySettledReport(readReport(path(name + ".json")));
    }

    void windowClosedReleasesHeldWritesAndReports()
    {
        // --quit-after closes the window as a user does; the process stays until every
        // write settled and the report is written.
        RunningApp app(simulation(QStringLiteral("closed"), true,
                                  latencyFault() + QStringList{QStringLiteral("--quit-after"),
                                                               QStringLiteral("4")}),
                       env());
        const QString base = app.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(app.err()));
        QVERIFY(waitForWritesInFlight(base));
        const int code = app.waitForExit(30'000);
        QVERIFY2(code == 0, qPrintable(app.err()));
        verifySettledReport(readReport(path(QStringLiteral("closed.json"))));
    }

    void durationReleasesHeldWritesAndReports_data()
    {
        QTest::addColumn<bool>("gui");
        QTest::addRow("headless") << false;
        QTest::addRow("window") << true;
    }
    void durationReleasesHeldWritesAndReports()
    {
        QFETCH(bool, gui);
        const QString name = QStringLiteral("duration-%1").arg(gui);
        RunningApp app(simulation(name, gui,
                                  latencyFault() + QStringList{QStringLiteral("--duration"),
                                                               QStringLiteral("3")}),
                       env());
        QVERIFY2(!app.waitUntilServing().isEmpty(), qPrintable(app.err()));
        const int code = app.waitForExit(20'000);
        QVERIFY2(code == 0, qPrintable(app.err()));
        verifySettledReport(readReport(path(name + QStringLiteral(".json"))));
    }

    void interruptedReplayReleasesHeldWrites()
    {
        // A lock-step replay waits for each write; a latency fault line holds it for ten
        // minutes. SIGTERM releases it: the replay ends, settled, with its report.
        const QString file = path(QStringLiteral("held.jsonl"));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("{\"type\":\"fault\",\"spec\":\"latency-ms=600000\"}\n");
        for (int i = 0; i < 5; ++i)
            out.write(QStringLiteral("{\"job\":\"j%1\",\"worker\":\"w1\",\"backend\":\"b1\"}\n")
                          .arg(i)
                          .toUtf8());
        out.close();
        RunningApp app({QStringLiteral("--headless"), QStringLiteral("--replay"), file,
                        QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                        QStringLiteral("--report"), path(QStringLiteral("held.json"))},
                       env());
        const QString base = app.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(app.err()));
        QVERIFY(waitForWritesInFlight(base));
        app.signal(SIGTERM);
        QCOMPARE(app.waitForExit(10'000), 0);
        const QJsonObject report = readReport(path(QStringLiteral("held.json")));
        verifySettledReport(report);
        QCOMPARE(report.value(QStringLiteral("events")).toInt(), 1); // lock-step: one line out
    }

    void secondInterruptExitsAt130_data()
    {
        QTest::addColumn<bool>("gui");
        QTest::addRow("headless") << false;
        QTest::addRow("window") << true;
    }
    void secondInterruptExitsAt130()
    {
        QFETCH(bool, gui);
        const QString name = QStringLiteral("again-%1").arg(gui);
        RunningApp app(simulation(name, gui), env());
        const QString base = app.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(app.err()));
        WriteLock lock(path(name + ".db")); // writes now wait for SQLite's lock
        QVERIFY(waitForWritesInFlight(base));
        app.signal(SIGINT);
        QTest::qWait(300);
        QVERIFY(app.running()); // still settling
        QElapsedTimer clock;
        clock.start();
        app.signal(SIGINT);
        QCOMPARE(app.waitForExit(3000), 130);
        QVERIFY(clock.elapsed() < 3000);
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("with (\\d+) write\\(s\\) left unsettled"))
                .match(app.err());
        QVERIFY2(m.hasMatch(), qPrintable(app.err()));
        QVERIFY(m.captured(1).toInt() >= 1);
    }

    void databaseThatNeverAnswersIsExit3_data()
    {
        QTest::addColumn<bool>("gui");
        QTest::addColumn<bool>("interrupt");
        QTest::addRow("headless, left alone") << false << false;
        QTest::addRow("headless, Ctrl-C before it answers") << false << true;
        QTest::addRow("window, Ctrl-C before it answers") << true << true;
    }
    void databaseThatNeverAnswersIsExit3()
    {
        QFETCH(bool, gui);
        QFETCH(bool, interrupt);
        BlackHole server;
        QVERIFY(server.isListening());
        const QString report = path(QStringLiteral("never-%1-%2.json").arg(gui).arg(interrupt));
        QStringList args{
            QStringLiteral("--db"),
            QStringLiteral("postgresql://bob:hunter2@127.0.0.1:%1/fleet").arg(server.serverPort()),
            QStringLiteral("--report"), report};
        if (!gui)
            args.prepend(QStringLiteral("--headless"));
        RunningApp app(args, env());
        QTest::qWait(1500);
        QElapsedTimer clock;
        clock.start();
        if (interrupt)
            app.signal(SIGINT);
        const int code = app.waitForExit(interrupt ? 3000 : 30'000);
        QVERIFY2(code == 3, qPrintable(QStringLiteral("exit %1 after %2 ms: %3")
                                           .arg(code)
                                           .arg(clock.elapsed())
                                           .arg(app.err())));
        QVERIFY2(app.err().contains(QLatin1String("127.0.0.1")), qPrintable(app.err()));
        if (interrupt)
            QVERIFY2(app.err().contains(QLatin1String("before the database")),
                     qPrintable(app.err()));
        QVERIFY(!app.err().contains(QLatin1String("hunter2")));
        QVERIFY(!QFile::exists(report));
    }

    void writesThatCannotSettleExit3Within10s()
    {
        const QString pg = qEnvironmentVariable("STICKYBOARD_TEST_PG_URL");
        if (pg.isEmpty()) {
            if (qEnvironmentVariable("CI") == QLatin1String("true"))
                QFAIL("STICKYBOARD_TEST_PG_URL is unset under CI");
            QSKIP("STICKYBOARD_TEST_PG_URL is unset (tests/support/pg-throwaway.sh start DIR)");
        }
        const QUrl url(pg);
        TcpProxy proxy(url.host(), quint16(url.port(5432)));
        QVERIFY(proxy.isListening());
        QUrl viaProxy = url;
        viaProxy.setHost(QStringLiteral("127.0.0.1"));
        viaProxy.setPort(proxy.serverPort());
        const QString report = path(QStringLiteral("blackholed.json"));
        RunningApp app({QStringLiteral("--headless"), QStringLiteral("--db"), viaProxy.toString(),
                        QStringLiteral("--rate"), QStringLiteral("20"), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0"), QStringLiteral("--report"), report},
                       env());
        const QString base = app.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(app.err()));
        QTest::qWait(500);
        proxy.blackHole(); // the server is still there, but nothing comes back any more
        QVERIFY(waitForWritesInFlight(base));
        QElapsedTimer clock;
        clock.start();
        app.signal(SIGTERM);
        const int code = app.waitForExit(20'000);
        QVERIFY2(code == 3, qPrintable(QStringLiteral("exit %1 after %2 ms: %3")
                                           .arg(code)
                                           .arg(clock.elapsed())
                                           .arg(app.err())));
        QVERIFY2(clock.elapsed() >= 9000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(app.err().contains(QLatin1String("did not settle within 10 s")),
                 qPrintable(app.err()));
        QVERIFY(!QFile::exists(report));
    }

    void postLoopDuringInterruptGets503AndEnds()
    {
        // A client that keeps posting must neither keep the process alive nor add events
        // after the report was read: every accepted line is in the report, later ones 503.
        const QString name = QStringLiteral("posting");
        RunningApp app({QStringLiteral("--headless"), QStringLiteral("--replay"),
                        QStringLiteral("-"), QStringLiteral("--db"),
                        QStringLiteral("sqlite:") + path(name + ".db"), QStringLiteral("--listen"),
                        QStringLiteral("127.0.0.1:0"), QStringLiteral("--report"),
                        path(name + ".json")},
                       env());
        const QString base = app.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(app.err()));
        std::unique_ptr<WriteLock> lock;
        qint64 accepted = 0;
        int refused = 0, okAfterRefused = 0, posts = 0;
        QElapsedTimer sinceSignal;
        for (; posts < 5000 && (!sinceSignal.isValid() || app.running()); ++posts) {
            QByteArray body;
            for (int i = 0; i < 20; ++i)
                body += QStringLiteral("{\"job\":\"j%1\",\"worker\":\"w1\",\"backend\":\"b%2\"}\n")
                            .arg(i)
                            .arg(posts % 3)
                            .toUtf8();
            const Http::Reply r = Http::send(m_nam, base + QStringLiteral("/events"), body, true);
            if (r.status == 200) {
                accepted += QJsonDocument::fromJson(r.body)
                                .object()
                                .value(QStringLiteral("accepted"))
                                .toInt();
                okAfterRefused += refused > 0;
            } else if (r.status == 503) {
                ++refused;
            }
            if (posts == 30) // the writes now wait for this lock: a window for the 503s
                lock = std::make_unique<WriteLock>(path(name + ".db"));
            if (lock && !sinceSignal.isValid() &&
                Http::metric(m_nam, base, QStringLiteral("stickyboard_writes_in_flight")) >= 1) {
                app.signal(SIGINT);
                sinceSignal.start();
            }
            if (lock && sinceSignal.isValid() && sinceSignal.elapsed() > 1500)
                lock.reset();
        }
        QCOMPARE(app.waitForExit(5000), 0);
        QVERIFY2(sinceSignal.elapsed() < 8000, qPrintable(QString::number(sinceSignal.elapsed())));
        QVERIFY2(refused > 0, qPrintable(QStringLiteral("%1 posts, none refused").arg(posts)));
        QCOMPARE(okAfterRefused, 0);
        const QJsonObject report = readReport(path(name + ".json"));
        verifySettledReport(report);
        QCOMPARE(report.value(QStringLiteral("events")).toInteger(), accepted);
    }

    void numericOptionsRefuseWhatIsNotANumber_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const auto row = [](const char *name, QStringList args, const char *named) {
            QTest::addRow("%s", name)
                << (QStringList{QStringLiteral("--headless")} + args) << QString::fromLatin1(named);
        };
        for (const char *value : {"nan", "NaN", "inf", "-inf", "infinity", "-1", "1e9", "1e400"})
            row(qPrintable(QStringLiteral("duration %1").arg(QLatin1String(value))),
                {QStringLiteral("--duration"), QLatin1String(value)}, "--duration");
        row("quit-after nan", {QStringLiteral("--quit-after"), QStringLiteral("nan")},
            "--quit-after");
        row("rate nan", {QStringLiteral("--rate"), QStringLiteral("nan")}, "--rate");
        row("rate inf", {QStringLiteral("--rate"), QStringLiteral("inf")}, "--rate");
        row("speed inf",
            {QStringLiteral("--replay"), QStringLiteral("-"), QStringLiteral("--speed"),
             QStringLiteral("inf")},
            "--speed");
        row("seed -1", {QStringLiteral("--seed"), QStringLiteral("-1")}, "--seed");
        row("jobs overflow", {QStringLiteral("--jobs"), QStringLiteral("99999999999999999999")},
            "--jobs");
        row("latency-ms=2147483647",
            {QStringLiteral("--fault"), QStringLiteral("latency-ms=2147483647")}, "600000");
        row("latency-ms=600001", {QStringLiteral("--fault"), QStringLiteral("latency-ms=600001")},
            "latency-ms");
    }
    void numericOptionsRefuseWhatIsNotANumber()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        QString out, err;
        QCOMPARE(RunningApp::runToEnd(args, env(), 10'000, &out, &err), 2);
        QVERIFY2(err.contains(named), qPrintable(err));
    }

    void longDurationsNeitherEndAtOnceNorOverflow_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("duration");
        QTest::addRow("replay 4294967.5 s")
            << QStringLiteral("replay") << QStringLiteral("4294967.5");
        QTest::addRow("watch 4294967.5 s")
            << QStringLiteral("watch") << QStringLiteral("4294967.5");
        QTest::addRow("replay ten years")
            << QStringLiteral("replay") << QStringLiteral("315576000");
        QTest::addRow("watch ten years") << QStringLiteral("watch") << QStringLiteral("315576000");
    }
    void longDurationsNeitherEndAtOnceNorOverflow()
    {
        QFETCH(QString, mode);
        QFETCH(QString, duration);
        QStringList args{QStringLiteral("--headless"), QStringLiteral("--duration"), duration,
                         QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")};
        if (mode == QLatin1String("replay")) {
            args += {QStringLiteral("--replay"), QStringLiteral("-")}; // stdin stays open
        } else {
            const QString file = path(QStringLiteral("watched.db"));
            {
                QSqlDatabase db =
                    QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("watched"));
                db.setDatabaseName(file);
                QVERIFY(db.open());
                QSqlQuery(db).exec(
                    QStringLiteral("CREATE TABLE IF NOT EXISTS jobs(id TEXT PRIMARY KEY, "
                                   "last_backend_id TEXT)"));
                QSqlQuery(db).exec(QStringLiteral("INSERT OR IGNORE INTO jobs VALUES('j1','b1')"));
                db.close();
            }
            QSqlDatabase::removeDatabase(QStringLiteral("watched"));
            args += {QStringLiteral("--watch"), QStringLiteral("sqlite:") + file};
        }
        RunningApp app(args, env());
        QVERIFY2(!app.waitUntilServing().isEmpty(), qPrintable(app.err()));
        QTest::qWait(2000);
        QVERIFY2(app.running(), qPrintable(app.err())); // 4294967.5 s once wrapped to 204 ms
        QVERIFY2(!app.err().contains(QLatin1String("negative")), qPrintable(app.err()));
        app.signal(SIGTERM);
        QCOMPARE(app.waitForExit(10'000), 0);
    }

    void simulationRecordHasOneClockAndReplaysAtItsPace()
    {
        // Faults from the command line and from POST /events carry simulated time like the
        // events, so the record has one monotonic clock from 2000-01-01.
        const QString record = path(QStringLiteral("sim.jsonl"));
        RunningApp sim({QStringLiteral("--headless"), QStringLiteral("--db"),
                        QStringLiteral("sqlite::memory:"), QStringLiteral("--duration"),
                        QStringLiteral("3"), QStringLiteral("--rate"), QStringLiteral("5"),
                        QStringLiteral("--fault"), QStringLiteral("fail-next=2"),
                        QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                        QStringLiteral("--record"), record},
                       env());
        const QString base = sim.waitUntilServing();
        QVERIFY2(!base.isEmpty(), qPrintable(sim.err()));
        QTest::qWait(1000);
        QCOMPARE(Http::send(m_nam, base + QStringLiteral("/events"),
                            "{\"type\":\"fault\",\"spec\":\"fail-next=1\"}\n", true)
                     .status,
                 200);
        QCOMPARE(sim.waitForExit(30'000), 0);

        const QDateTime epoch(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC);
        QDateTime previous = epoch;
        int faults = 0, events = 0;
        for (const QByteArray &line : AppRunner::readAll(record).trimmed().split('\n')) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            const QDateTime ts =
                QDateTime::fromString(o.value(QStringLiteral("ts")).toString(), Qt::ISODateWithMs);
            QVERIFY2(ts.isValid(), line.constData());
            QVERIFY2(ts >= previous, line.constData());
            QVERIFY2(ts <= epoch.addSecs(4), line.constData());
            previous = ts;
            const QString type = o.value(QStringLiteral("type")).toString();
            faults += type == QLatin1String("fault");
            events += type == QLatin1String("event");
        }
        QCOMPARE(faults, 2);
        QVERIFY(events >= 20);
        QVERIFY(previous >= epoch.addMSecs(2000)); // the run spans its simulated seconds

        QElapsedTimer clock;
        clock.start();
        QString out, err;
        QCOMPARE(RunningApp::runToEnd({QStringLiteral("--headless"), QStringLiteral("--replay"),
                                       record, QStringLiteral("--speed"), QStringLiteral("1"),
                                       QStringLiteral("--report"), QStringLiteral("-")},
                                      env(), 30'000, &out, &err),
                 0);
        const qint64 span = epoch.msecsTo(previous);
        QVERIFY2(clock.elapsed() >= span - 200,
                 qPrintable(QStringLiteral("%1 ms for %2 ms").arg(clock.elapsed()).arg(span)));
        QVERIFY2(clock.elapsed() < span + 10'000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(
            QJsonDocument::fromJson(out.toUtf8()).object().value(QStringLiteral("events")).toInt(),
            events);
    }

    void replayWaitsAtMost60sBetweenTwoLines()
    {
        const QString file = path(QStringLiteral("gap.jsonl"));
        QFile lines(file);
        QVERIFY(lines.open(QIODevice::WriteOnly));
        lines.write(
            "{\"job\":\"j1\",\"worker\":\"w1\",\"backend\":\"b1\",\"ts\":\"2026-01-01T00:00:"
            "00Z\"}\n"
            "{\"job\":\"j1\",\"worker\":\"w1\",\"backend\":\"b2\",\"ts\":\"2026-01-01T00:01:"
            "01Z\"}\n"
            "{\"job\":\"j2\",\"worker\":\"w1\",\"backend\":\"b2\",\"ts\":\"2026-01-01T00:01:"
            "01.5Z\"}\n");
        lines.close();
        QElapsedTimer clock;
        clock.start();
        QString out, err;
        QCOMPARE(RunningApp::runToEnd({QStringLiteral("--headless"), QStringLiteral("--replay"),
                                       file, QStringLiteral("--speed"), QStringLiteral("1"),
                                       QStringLiteral("--report"), QStringLiteral("-")},
                                      env(), 90'000, &out, &err),
                 0);
        // 60 s for the 61-s gap, then the half second after it.
        QVERIFY2(clock.elapsed() >= 60'000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(clock.elapsed() < 62'500, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(err.count(QLatin1String("waits at most 60 s between two lines")), 1);
        QCOMPARE(QJsonDocument::fromJson(out.toUtf8()).object().value("events").toInt(), 3);
    }
};

QTEST_GUILESS_MAIN(TestShutdown)
#include "tst_shutdown.moc"
