// Hostile input through the real binary (issue 11): a --db password never reaches stderr
// however malformed the URL, --print-watch-sql refuses names that would break out of the
// printed SQL, control characters in bad lines are escaped on stderr, and --max-jobs /
// --max-backends refuse new ids in a replay as numbered, counted bad lines.
#include "AppRunner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using AppRunner::Run;

class TestHostile : public QObject {
    Q_OBJECT

    QTemporaryDir m_home;

    Run run(const QStringList &args, const QByteArray &input = {})
    {
        return AppRunner::run(args, AppRunner::environment(m_home.path()), 60'000, input);
    }

private slots:
    void dbPasswordNeverOnStderr_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("secret");
        QTest::addRow("slash (issue)") << u"postgresql://u:SEC/RETPW@h/db?x=1"_s << u"RETPW"_s;
        QTest::addRow("slash, bad port") << u"postgresql://u:SEC/RETPW@h:p/db"_s << u"RETPW"_s;
        QTest::addRow("no //") << u"postgres:u:SECRETPW@h/db"_s << u"SECRETPW"_s;
        QTest::addRow("no // unknown scheme") << u"pg:u:SECRETPW@h/db"_s << u"SECRETPW"_s;
        QTest::addRow("no @") << u"postgresql://u:SECRETPW/db"_s << u"SECRETPW"_s;
        QTest::addRow("query password")
            << u"postgresql://u@h/db?password=SECRETPW"_s << u"SECRETPW"_s;
    }
    void dbPasswordNeverOnStderr()
    {
        QFETCH(QString, url);
        QFETCH(QString, secret);
        for (const char *option : {"--db", "--watch"}) {
            const Run r = run({QLatin1String(option), url, u"--headless"_s});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QLatin1String(option)), qPrintable(r.err));
            QVERIFY2(!r.err.contains(secret), qPrintable(r.err));
        }
    }

    void printWatchSqlRefusesBreakingNames_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reason"); // empty: accepted
        QTest::addRow("plain") << QStringList{u"--watch-table"_s, u"ops.jobs"_s} << QString();
        QTest::addRow("newline in table")
            << QStringList{u"--watch-table"_s, u"jobs\n"_s} << u"--watch-table: table"_s;
        QTest::addRow("newline in schema")
            << QStringList{u"--watch-table"_s, u"ops\n.jobs"_s} << u"--watch-table: schema"_s;
        QTest::addRow("dollar quote in a column")
            << QStringList{u"--watch-columns"_s, u"id,$sb$"_s} << u"--watch-columns: backend"_s;
        QTest::addRow("newline after a column")
            << QStringList{u"--watch-columns"_s, u"id,backend\n"_s}
            << u"--watch-columns: backend"_s;
        QTest::addRow("comment end")
            << QStringList{u"--watch-table"_s, u"a*/x"_s} << u"--watch-table: table"_s;
    }
    void printWatchSqlRefusesBreakingNames()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, reason);
        const Run r = run(QStringList{u"--print-watch-sql"_s} + args);
        if (reason.isEmpty()) {
            QCOMPARE(r.exitCode, 0);
            QVERIFY(r.out.contains(u"CREATE TRIGGER"));
            return;
        }
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.out.isEmpty()); // no SQL at all
        QVERIFY2(r.err.contains(reason) && r.err.contains(u"not a plain SQL name"),
                 qPrintable(r.err));
        // The name is quoted escaped: a newline in it cannot start a line of its own.
        if (args.last().contains(u'\n'))
            QVERIFY2(r.err.contains(u"\\u000a'"), qPrintable(r.err));
    }

    void controlCharactersInBadLinesAreEscaped()
    {
        // JSON escapes: the parsed values hold real ESC, CR and LF, and the messages quote them.
        // (No raw string literals here: moc 6.4 loses the class after one holding "\u".)
        const QByteArray input =
            "{\"type\":\"\\u001b[2J\\u001b[31mred\\r\\nforged: line 99: ok\"}\n"
            "{\"type\":\"backend\",\"backend\":\"b1\",\"state\":\"off\\u001bline\"}\n";
        const Run r = run({u"--headless"_s, u"--replay"_s, u"-"_s, u"--report"_s, u"-"_s}, input);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(!r.err.contains(QChar(0x1b)), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u'\r'), qPrintable(r.err));
        QVERIFY2(!r.err.contains(u"\nforged"), qPrintable(r.err));
        QVERIFY2(
            r.err.contains(u"line 1: unknown type '\\u001b[2J\\u001b[31mred\\u000d\\u000aforged"),
            qPrintable(r.err));
        QVERIFY2(r.err.contains(u"line 2: bad state 'off\\u001bline'"), qPrintable(r.err));
    }

    void maxJobsAndBackendsInReplay()
    {
        QByteArray input;
        for (const char *line : {R"({"job":"j1","worker":"w","backend":"b1"})",
                                 R"({"job":"j2","worker":"w","backend":"b1"})",
                                 R"({"job":"j3","worker":"w","backend":"b1"})",
                                 R"({"job":"j1","worker":"w","backend":"b2"})",
                                 R"({"job":"j1","worker":"w","backend":"b3"})",
                                 R"({"job":"j2","worker":"w","backend":"b2"})"})
            input += QByteArray(line) + '\n';
        const Run r = run({u"--headless"_s, u"--replay"_s, u"-"_s, u"--report"_s, u"-"_s,
                           u"--max-jobs"_s, u"2"_s, u"--max-backends"_s, u"2"_s},
                          input);
        QCOMPARE(r.exitCode, 0);
        const QJsonObject report = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(report.value(u"badLines"_s).toInt(), 2);
        QCOMPARE(report.value(u"events"_s).toInt(), 4);
        const QJsonArray jobs = report.value(u"jobs"_s).toArray();
        QCOMPARE(jobs.size(), 2);
        QCOMPARE(jobs.at(0).toObject().value(u"current"_s).toString(), u"b2"_s);
        QCOMPARE(jobs.at(1).toObject().value(u"current"_s).toString(), u"b2"_s);
        QVERIFY2(r.err.contains(u"line 3: job limit reached: new job 'j3' refused (--max-jobs 2)"),
                 qPrintable(r.err));
        QVERIFY2(r.err.contains(u"line 5: backend limit reached: new backend 'b3' refused "
                                "(--max-backends 2)"),
                 qPrintable(r.err));

        const Run bad = run({u"--headless"_s, u"--replay"_s, u"-"_s, u"--max-jobs"_s, u"0"_s});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(u"--max-jobs"), qPrintable(bad.err));
    }
};

QTEST_GUILESS_MAIN(TestHostile)
#include "tst_hostile.moc"
