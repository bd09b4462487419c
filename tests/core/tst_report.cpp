#include "faults/FaultInjector.h"
#include "report/Report.h"
#include "sources/EventDispatcher.h"
#include "sources/ReplaySource.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QJsonDocument>
#include <QPromise>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

/// Settles every write at once: fails the jobs in `failing`, succeeds the rest.
class InstantTarget : public PersistTarget {
public:
    QFuture<PersistResults> persist(QList<PersistWrite> writes) override
    {
        PersistResults results;
        for (const PersistWrite &w : writes)
            results.append(failing.contains(w.jobId) ? PersistOutcome{false, u"no"_s}
                                                     : PersistOutcome{true, {}});
        QPromise<PersistResults> promise;
        promise.start();
        promise.addResult(results);
        promise.finish();
        return promise.future();
    }
    QSet<QString> failing;
};

template <typename T> bool finishes(const QFuture<T> &future, int ms = 20000)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, ms);
}

bool settle(TrackerTable &tracker)
{
    tracker.flush();
    return QTest::qWaitFor([&] { return tracker.writesInFlight() == 0; }, 5000);
}

} // namespace

class TestReport : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void buildsFromTrackerAndDatabase();
    void prettyFormat();
    void jsonObjectMatchesText();
    void writesFilesWhole();
    void replayedTraceGivesTheExactDocument();
};

void TestReport::buildsFromTrackerAndDatabase()
{
    InstantTarget target;
    target.failing = {u"j10"_s};
    TrackerTable tracker(&target);
    tracker.addJob(u"j0"_s, u"w0"_s, u"b9"_s); // loaded from the database, no event since
    tracker.ensureJob(u"j1"_s);                // known, never resolved, no worker
    tracker.onEvent(u"j2"_s, u"w2"_s, u"b1"_s);
    tracker.onEvent(u"j10"_s, u"w1"_s, u"b1"_s);
    tracker.onEvent(u"\u00e9"_s, u"w\"3"_s, u"b\"2"_s, u"k"_s);
    tracker.onEvent(u"Zed"_s, u"w1"_s, u"b1"_s);
    QVERIFY(settle(tracker));
    tracker.onEvent(u"Zed"_s, u"w1"_s, u"b2"_s);
    QVERIFY(settle(tracker));

    // What the database would hold, including a job the tracker never heard of.
    const QHash<QString, QString> db{{u"j0"_s, u"b9"_s},  {u"j1"_s, QString()},
                                     {u"j2"_s, u"b1"_s},  {u"\u00e9"_s, u"b\"2"_s},
                                     {u"Zed"_s, u"b2"_s}, {u"ghost"_s, u"b5"_s}};
    const Report r = Report::build(u"simulate"_s, tracker, db, 3);
    // Sorted by UTF-16 code unit: upper case before lower case, "j10" before "j2", é last.
    QCOMPARE(r.toJson(Report::Format::Compact),
             QByteArray("{\"mode\":\"simulate\",\"events\":5,\"badLines\":3,"
                        "\"persist\":{\"attempted\":5,\"succeeded\":4,\"failed\":1},"
                        "\"switches\":1,\"retriesRecovered\":0,\"staleJobs\":1,\"jobs\":["
                        "{\"job\":\"Zed\",\"worker\":\"w1\",\"current\":\"b2\",\"db\":\"b2\","
                        "\"observed\":\"b2\",\"persistFailures\":0},"
                        "{\"job\":\"ghost\",\"worker\":null,\"current\":null,\"db\":\"b5\","
                        "\"observed\":null,\"persistFailures\":0},"
                        "{\"job\":\"j0\",\"worker\":\"w0\",\"current\":\"b9\",\"db\":\"b9\","
                        "\"observed\":null,\"persistFailures\":0},"
                        "{\"job\":\"j1\",\"worker\":null,\"current\":null,\"db\":null,"
                        "\"observed\":null,\"persistFailures\":0},"
                        "{\"job\":\"j10\",\"worker\":\"w1\",\"current\":null,\"db\":null,"
                        "\"observed\":\"b1\",\"persistFailures\":1},"
                        "{\"job\":\"j2\",\"worker\":\"w2\",\"current\":\"b1\",\"db\":\"b1\","
                        "\"observed\":\"b1\",\"persistFailures\":0},"
                        "{\"job\":\"\xC3\xA9\",\"worker\":\"w\\\"3\",\"current\":\"b\\\"2\","
                        "\"db\":\"b\\\"2\",\"observed\":\"b\\\"2\",\"persistFailures\":0}]}\n"));
    QCOMPARE(r.staleJobs, quint64(tracker.staleCount()));
    // The job only the database knows breaks current == db, and the report says so.
    QCOMPARE(r.inconsistentJobs(), QStringList{u"ghost"_s});
}

void TestReport::prettyFormat()
{
    Report r;
    r.mode = u"replay"_s;
    r.events = 2;
    r.attempted = r.succeeded = 1;
    r.jobs = {{u"j1"_s, u"w1"_s, u"b1"_s, u"b1"_s, u"b1"_s, 0}};
    QCOMPARE(r.toJson(Report::Format::Pretty),
             QByteArray("{\n"
                        "  \"mode\":\"replay\",\n"
                        "  \"events\":2,\n"
                        "  \"badLines\":0,\n"
                        "  \"persist\":{\"attempted\":1, \"succeeded\":1, \"failed\":0},\n"
                        "  \"switches\":0,\n"
                        "  \"retriesRecovered\":0,\n"
                        "  \"staleJobs\":0,\n"
                        "  \"jobs\":[\n"
                        "    {\"job\":\"j1\",\"worker\":\"w1\",\"current\":\"b1\",\"db\":\"b1\","
                        "\"observed\":\"b1\",\"persistFailures\":0}\n"
                        "  ]\n"
                        "}\n"));
}

void TestReport::jsonObjectMatchesText()
{
    Report r;
    r.mode = u"watch"_s;
    r.badLines = 1;
    r.staleJobs = 1;
    r.jobs = {{u"j \"1\"\n"_s, QString(), u"b1"_s, u"b1"_s, u"b2"_s, 7},
              {u"j2"_s, u"w"_s, QString(), QString(), QString(), 0}};
    for (const auto format : {Report::Format::Compact, Report::Format::Pretty}) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.toJson(format), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(doc.object(), r.toJsonObject());
    }
    QVERIFY(r.toJsonObject()[u"jobs"_s][0][u"worker"_s].isNull());
    QCOMPARE(r.toJsonObject()[u"persist"_s][u"attempted"_s].toInt(-1), 0);
}

void TestReport::writesFilesWhole()
{
    QTemporaryDir dir;
    Report r;
    r.mode = u"replay"_s;
    const QString path = dir.filePath(u"report.json"_s);
    QString error;
    QVERIFY2(r.write(path, Report::Format::Compact, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), r.toJson(Report::Format::Compact));
    const QString bad = dir.filePath(u"missing/dir/report.json"_s);
    QVERIFY(!r.write(bad, Report::Format::Pretty, &error));
    QVERIFY2(error.contains(bad), qPrintable(error));
}

void TestReport::replayedTraceGivesTheExactDocument()
{
    // The whole chain on SQLite: replay-basic.jsonl, worked out by hand in tests/data/README.md.
    QTemporaryDir dir;
    QString error;
    const auto url = DbUrl::parse(u"sqlite:"_s + dir.filePath(u"jobs.db"_s), &error);
    QVERIFY2(url, qPrintable(error));
    JobStore store(*url);
    QFuture<void> opened = store.open();
    QVERIFY(finishes(opened));
    FaultInjector faults(&store);
    TrackerTable tracker(&faults);
    EventDispatcher dispatcher(&tracker, &faults);
    ReplaySource source(QStringLiteral(STICKYBOARD_TEST_DATA "/replay-basic.jsonl"));
    QVERIFY2(source.open(&error), qPrintable(error));
    source.setTracker(&tracker);
    dispatcher.attach(&source);
    QSignalSpy done(&source, &EventSource::finished);
    source.start();
    QVERIFY(done.wait(30000));

    QFuture<Report> report = Report::collect(u"replay"_s, &tracker, &store, source.badLines());
    QVERIFY(finishes(report));
    QCOMPARE(report.result().toJson(Report::Format::Pretty),
             QByteArray("{\n"
                        "  \"mode\":\"replay\",\n"
                        "  \"events\":7,\n"
                        "  \"badLines\":4,\n"
                        "  \"persist\":{\"attempted\":6, \"succeeded\":4, \"failed\":2},\n"
                        "  \"switches\":1,\n"
                        "  \"retriesRecovered\":1,\n"
                        "  \"staleJobs\":1,\n"
                        "  \"jobs\":[\n"
                        "    {\"job\":\"j1\",\"worker\":\"w1\",\"current\":\"b2\",\"db\":\"b2\","
                        "\"observed\":\"b2\",\"persistFailures\":1},\n"
                        "    {\"job\":\"j2\",\"worker\":\"w2\",\"current\":\"b3\",\"db\":\"b3\","
                        "\"observed\":\"b1\",\"persistFailures\":1},\n"
                        "    {\"job\":\"j3\",\"worker\":\"w3\",\"current\":\"b1\",\"db\":\"b1\","
                        "\"observed\":\"b1\",\"persistFailures\":0}\n"
                        "  ]\n"
                        "}\n"));
}

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
