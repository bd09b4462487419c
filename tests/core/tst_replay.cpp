#include "faults/FaultInjector.h"
#include "report/Report.h"
#include "sources/EventDispatcher.h"
#include "sources/RecordWriter.h"
#include "sources/ReplaySource.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <fcntl.h>
#include <memory>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

template <typename T> bool finishes(const QFuture<T> &future, int ms = 20000)
{
    return QTest::qWaitFor([&] { return future.isFinished(); }, ms);
}

/// The real chain on a temporary SQLite file: store <- fault injector <- tracker <- dispatcher.
struct Rig {
    QTemporaryDir dir;
    std::unique_ptr<JobStore> store;
    std::unique_ptr<FaultInjector> faults;
    std::unique_ptr<TrackerTable> tracker;
    std::unique_ptr<EventDispatcher> dispatcher;
    QList<QPair<qint64, QString>> bad;

    bool open()
    {
        QString error;
        const auto url = DbUrl::parse(u"sqlite:"_s + dir.filePath(u"jobs.db"_s), &error);
        if (!url)
            qFatal("%s", qPrintable(error));
        store = std::make_unique<JobStore>(*url);
        QFuture<void> opened = store->open();
        if (!finishes(opened))
            return false;
        try {
            opened.waitForFinished();
        } catch (const QException &e) {
            qWarning("open failed: %s", e.what());
            return false;
        }
        faults = std::make_unique<FaultInjector>(store.get());
        tracker = std::make_unique<TrackerTable>(faults.get());
        dispatcher = std::make_unique<EventDispatcher>(tracker.get(), faults.get());
        return true;
    }

    /// Replays lock-step (unless the source says otherwise) until finished().
    bool replay(ReplaySource &source)
    {
        source.setTracker(tracker.get());
        dispatcher->attach(&source);
        QObject::connect(&source, &EventSource::badLine, &source,
                         [this](qint64 n, const QString &e) {
                             bad.append({n, e});
                         });
        QSignalSpy done(&source, &EventSource::finished);
        source.start();
        return done.wait(30000) && done.count() == 1 && tracker->writesInFlight() == 0;
    }

    Report report(qint64 badLines)
    {
        QFuture<Report> f = Report::collect(u"replay"_s, tracker.get(), store.get(), badLines);
        if (!finishes(f))
            qFatal("report timed out");
        return f.result();
    }

    QHash<QString, QString> db()
    {
        QFuture<QHash<QString, QString>> f = store->readJobBackends();
        if (!finishes(f))
            qFatal("readJobBackends timed out");
        return f.result();
    }
};

QString basicTrace()
{
    return QStringLiteral(STICKYBOARD_TEST_DATA "/replay-basic.jsonl");
}

/// The report of replay-basic.jsonl, worked out by hand (see tests/data/README.md).
Report expectedBasic()
{
    Report r;
    r.mode = u"replay"_s;
    r.events = 7;
    r.badLines = 4;
    r.attempted = 6;
    r.succeeded = 4;
    r.failed = 2;
    r.switches = 1;
    r.retriesRecovered = 1;
    r.staleJobs = 1;
    r.jobs = {{u"j1"_s, u"w1"_s, u"b2"_s, u"b2"_s, u"b2"_s, 1},
              {u"j2"_s, u"w2"_s, u"b3"_s, u"b3"_s, u"b1"_s, 1},
              {u"j3"_s, u"w3"_s, u"b1"_s, u"b1"_s, u"b1"_s, 0}};
    return r;
}

QByteArray lines(const QList<EventLine> &list)
{
    QByteArray out;
    for (const EventLine &l : list)
        out += l.toJson() + '\n';
    return out;
}

} // namespace

class TestReplay : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void basicTraceGivesTheHandWorkedReport();
    void sameFileTwiceGivesTheSameReport();
    void lockStepNeverCoalesces();
    void lockStepWaitsForSlowWrites();
    void recordThenReplayGivesTheSameReport();
    void readsStdin();
    void readsASequentialDevice();
    void awkwardIdsReachTheDatabaseUnchanged();
    void overlongLineIsOneBadLine();
    void logsOnlyTheFirstBadLines();
    void toleratesBomCrlfAndMissingFinalNewline();
    void emptyInputFinishes();
    void unreadableFileNamesThePath();
    void pacesByTimestamps();
    void longGapsAreCutToMaxWait();
    void recordStampsFromItsClock();
};

void TestReplay::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(!basicTrace().isEmpty());
}

void TestReplay::basicTraceGivesTheHandWorkedReport()
{
    Rig rig;
    QVERIFY(rig.open());
    ReplaySource source(basicTrace());
    QString error;
    QVERIFY2(source.open(&error), qPrintable(error));
    QVERIFY(rig.replay(source));
    QCOMPARE(source.badLines(), 4);
    QCOMPARE(source.lineNumber(), 15);
    QCOMPARE(rig.bad.size(), 4);
    QCOMPARE(rig.bad.at(0), (QPair<qint64, QString>(7, u"missing job"_s)));
    QCOMPARE(rig.bad.at(1).first, 9);
    QVERIFY(rig.bad.at(1).second.startsWith(u"not JSON"_s));
    QCOMPARE(rig.bad.at(2).first, 12);
    QVERIFY(rig.bad.at(2).second.startsWith(u"bad fault spec 'bogus'"_s));
    QCOMPARE(rig.bad.at(3).first, 14);
    QVERIFY(rig.bad.at(3).second.startsWith(u"bad state 'melting'"_s));

    QCOMPARE(rig.dispatcher->events(), 7u);
    QCOMPARE(rig.dispatcher->faultLines(), 2u);
    QCOMPARE(rig.dispatcher->backendStates(), (QHash<QString, QString>{{u"b2"_s, u"saturated"_s}}));
    // fail-next=1 was used up by line 3; the offline fault of line 10 is still there.
    QCOMPARE(rig.faults->activeFaults().size(), 1);
    QCOMPARE(rig.faults->activeFaults().first().spec.toString(), u"offline,worker=w2"_s);

    const Report report = rig.report(source.badLines());
    QCOMPARE(report.toJson(), expectedBasic().toJson());
    QVERIFY(report == expectedBasic());
    QVERIFY(report.inconsistentJobs().isEmpty());
}

void TestReplay::sameFileTwiceGivesTheSameReport()
{
    // Random failures, latency and switches: only lock-step makes this repeatable.
    QTemporaryDir dir;
    const QString path = dir.filePath(u"mixed.jsonl"_s);
    QList<EventLine> trace;
    trace.append(EventLine::faultLine(*FaultSpec::parse(u"fail-rate=0.3,seed=11"_s, nullptr)));
    trace.append(EventLine::faultLine(*FaultSpec::parse(u"latency-ms=1,job=j3"_s, nullptr)));
    for (int i = 0; i < 240; ++i) {
        const QString job = u"j%1"_s.arg(i % 7);
        trace.append(EventLine::event(job, u"w%1"_s.arg(i % 3), u"b%1"_s.arg((i * 5 / 7) % 4)));
        if (i == 120)
            trace.append(EventLine::faultLine(*FaultSpec::parse(u"clear"_s, nullptr)));
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(lines(trace) + "garbage\n");
    file.close();

    QByteArray first;
    for (int run = 0; run < 2; ++run) {
        Rig rig;
        QVERIFY(rig.open());
        ReplaySource source(path);
        QVERIFY(rig.replay(source));
        const Report report = rig.report(source.badLines());
        QCOMPARE(report.events, 240u);
        QCOMPARE(report.badLines, 1);
        QVERIFY(report.failed > 0);
        QVERIFY(report.retriesRecovered > 0);
        QCOMPARE(report.attempted, report.succeeded + report.failed);
        QVERIFY(report.inconsistentJobs().isEmpty());
        if (run == 0)
            first = report.toJson();
        else
            QCOMPARE(report.toJson(), first);
    }
}

void TestReplay::lockStepNeverCoalesces()
{
    // Dispatched in one go, b2 and b3 would coalesce behind the b1 write and b1 again would
    // need no write at all: 1 attempt. Lock-step settles each line first: 4 attempts.
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data = lines(
        {EventLine::event(u"j1"_s, u"w1"_s, u"b1"_s), EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s),
         EventLine::event(u"j1"_s, u"w1"_s, u"b3"_s), EventLine::event(u"j1"_s, u"w1"_s, u"b1"_s)});
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QVERIFY(rig.replay(source));
    const Report report = rig.report(0);
    QCOMPARE(report.attempted, 4u);
    QCOMPARE(report.succeeded, 4u);
    QCOMPARE(report.switches, 3u);
    QCOMPARE(rig.db().value(u"j1"_s), u"b1"_s);

    // The contrast: paced replay of lines without ts does not settle between lines.
    Rig paced;
    QVERIFY(paced.open());
    QBuffer again(&data);
    QVERIFY(again.open(QIODevice::ReadOnly));
    ReplaySource fast(&again, u"buffer"_s);
    fast.setSpeed(1);
    QVERIFY(paced.replay(fast));
    QCOMPARE(paced.report(0).attempted, 1u);
}

void TestReplay::lockStepWaitsForSlowWrites()
{
    // With 40 ms per write, three lines take at least 120 ms when each waits for its write.
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data = lines({EventLine::faultLine(*FaultSpec::parse(u"latency-ms=40"_s, nullptr)),
                             EventLine::event(u"j1"_s, u"w1"_s, u"b1"_s),
                             EventLine::event(u"j2"_s, u"w1"_s, u"b1"_s),
                             EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s)});
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(rig.replay(source));
    QVERIFY2(clock.elapsed() >= 120, qPrintable(QString::number(clock.elapsed())));
    const Report report = rig.report(0);
    QCOMPARE(report.attempted, 3u);
    QCOMPARE(report.switches, 1u);
}

void TestReplay::recordThenReplayGivesTheSameReport()
{
    QTemporaryDir dir;
    const QString recording = dir.filePath(u"record.jsonl"_s);
    Report original;
    {
        Rig rig;
        QVERIFY(rig.open());
        RecordWriter recorder(recording);
        QString error;
        QVERIFY2(recorder.open(&error), qPrintable(error));
        recorder.attach(rig.dispatcher.get());
        ReplaySource source(basicTrace());
        QVERIFY(rig.replay(source));
        QVERIFY(recorder.close());
        QCOMPARE(recorder.linesWritten(), 10); // 15 lines - 1 blank - 4 bad
        original = rig.report(source.badLines());
    }
    QFile file(recording);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> recorded = file.readAll().split('\n');
    QCOMPARE(recorded.size(), 11); // ten lines and the empty rest after the last '\n'
    for (qsizetype i = 0; i < 10; ++i) {
        const std::optional<EventLine> line = EventLine::parse(recorded.at(i), nullptr);
        QVERIFY(line);
        QVERIFY2(line->time.isValid(), recorded.at(i).constData()); // stamped when missing
    }
    QVERIFY(recorded.first().contains("\"ts\":\"2024-05-01T12:00:00Z\"")); // kept as given

    Rig rig;
    QVERIFY(rig.open());
    ReplaySource source(recording);
    QVERIFY(rig.replay(source));
    Report again = rig.report(source.badLines());
    QCOMPARE(again.badLines, 0); // bad lines are not recorded: they cannot be replayed
    again.badLines = original.badLines;
    QCOMPARE(again.toJson(), original.toJson());
}

void TestReplay::readsStdin()
{
    // Put a pipe on fd 0, feed it in two parts, the second after the replay has started.
    QFile trace(basicTrace());
    QVERIFY(trace.open(QIODevice::ReadOnly));
    const QByteArray data = trace.readAll();
    int fds[2];
    QCOMPARE(::pipe(fds), 0);
    const int savedStdin = ::dup(STDIN_FILENO);
    QVERIFY(savedStdin >= 0);
    QCOMPARE(::dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
    ::close(fds[0]);
    const qsizetype half = data.indexOf("this is not json"); // mid-file, at a line start
    QCOMPARE(::write(fds[1], data.constData(), size_t(half) + 4), ssize_t(half) + 4);

    Rig rig;
    QVERIFY(rig.open());
    ReplaySource source(u"-"_s);
    QString error;
    QVERIFY2(source.open(&error), qPrintable(error));
    QTimer::singleShot(100, [&] {
        const qsizetype rest = data.size() - half - 4;
        QCOMPARE(::write(fds[1], data.constData() + half + 4, size_t(rest)), ssize_t(rest));
        ::close(fds[1]);
    });
    const bool replayed = rig.replay(source);
    ::dup2(savedStdin, STDIN_FILENO);
    ::close(savedStdin);
    QVERIFY(replayed);
    QCOMPARE(source.lineNumber(), 15);
    QCOMPARE(rig.report(source.badLines()).toJson(), expectedBasic().toJson());

    // `stickyboard --replay - < trace.jsonl`: stdin is a regular file, read like one.
    const int fileFd = ::open(QFile::encodeName(basicTrace()).constData(), O_RDONLY);
    QVERIFY(fileFd >= 0);
    const int saved = ::dup(STDIN_FILENO);
    QCOMPARE(::dup2(fileFd, STDIN_FILENO), STDIN_FILENO);
    ::close(fileFd);
    Rig again;
    QVERIFY(again.open());
    ReplaySource fromFile(u"-"_s);
    const bool replayedFile = fromFile.open(&error) && again.replay(fromFile);
    ::dup2(saved, STDIN_FILENO);
    ::close(saved);
    QVERIFY2(replayedFile, qPrintable(error));
    QCOMPARE(again.report(fromFile.badLines()).toJson(), expectedBasic().toJson());
}

void TestReplay::readsASequentialDevice()
{
    QProcess cat;
    cat.start(u"cat"_s, {basicTrace()});
    QVERIFY(cat.waitForStarted());
    Rig rig;
    QVERIFY(rig.open());
    ReplaySource source(&cat, u"cat"_s);
    QVERIFY(rig.replay(source));
    QCOMPARE(rig.report(source.badLines()).toJson(), expectedBasic().toJson());
    cat.waitForFinished();
}

void TestReplay::awkwardIdsReachTheDatabaseUnchanged()
{
    const QString job = QString::fromUtf8("j \"quoted\" \\ 日本 🐱 ,{}");
    const QString worker = QString::fromUtf8("w'\"  "); // ids hold no control characters
    const QString backend = QString::fromUtf8("b \"→\" 2");
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data = lines({EventLine::event(job, worker, u"b1"_s, u"k \"1\""_s),
                             EventLine::event(job, worker, backend)});
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QVERIFY(rig.replay(source));
    QCOMPARE(source.badLines(), 0);
    const QHash<QString, QString> db = rig.db();
    QCOMPARE(db.size(), 1);
    QCOMPARE(db.value(job), backend);
    const Report report = rig.report(0);
    QCOMPARE(report.jobs.size(), 1);
    QCOMPARE(report.jobs.first().worker, worker);
    QCOMPARE(report.jobs.first().current, backend);
}

void TestReplay::overlongLineIsOneBadLine()
{
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data = lines({EventLine::event(u"j1"_s, u"w1"_s, u"b1"_s)});
    data += QByteArray(EventLine::MaxLineBytes + ReplaySource::ChunkBytes * 3, 'x') + '\n';
    data += lines({EventLine::event(u"j2"_s, u"w1"_s, u"b1"_s)});
    data += QByteArray(EventLine::MaxLineBytes + 1, 'y'); // over-long and unterminated
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QVERIFY(rig.replay(source));
    QCOMPARE(rig.bad.size(), 2);
    QCOMPARE(rig.bad.at(0).first, 2);
    QVERIFY(rig.bad.at(0).second.startsWith(u"line too long"_s));
    QCOMPARE(rig.bad.at(1).first, 4);
    QCOMPARE(source.lineNumber(), 4);
    QCOMPARE(rig.report(source.badLines()).events, 2u);
}

void TestReplay::logsOnlyTheFirstBadLines()
{
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data;
    for (int i = 1; i <= 15; ++i)
        data += "{\"job\":\"j1\"}\n";
    for (int i = 1; i <= EventSource::MaxLoggedBadLines; ++i)
        QTest::ignoreMessage(QtWarningMsg, qPrintable(u"buffer: line %1: missing worker"_s.arg(i)));
    QTest::ignoreMessage(QtWarningMsg, "buffer: further bad lines are counted but not shown");
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QVERIFY(rig.replay(source));
    QCOMPARE(source.badLines(), 15);
    QCOMPARE(rig.bad.size(), 15);
    QCOMPARE(rig.bad.last().first, 15);
}

void TestReplay::toleratesBomCrlfAndMissingFinalNewline()
{
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data = "\xEF\xBB\xBF{\"job\":\"j1\",\"worker\":\"w1\",\"backend\":\"b1\"}\r\n"
                      "\r\n   \t\n"
                      "{\"job\":\"j2\",\"worker\":\"w1\",\"backend\":\"b2\"}";
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QVERIFY(rig.replay(source));
    QCOMPARE(source.badLines(), 0);
    QCOMPARE(source.lineNumber(), 4);
    QCOMPARE(rig.db(), (QHash<QString, QString>{{u"j1"_s, u"b1"_s}, {u"j2"_s, u"b2"_s}}));
}

void TestReplay::emptyInputFinishes()
{
    Rig rig;
    QVERIFY(rig.open());
    QByteArray data;
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    QVERIFY(rig.replay(source));
    QVERIFY(source.isFinished());
    QCOMPARE(
        rig.report(0).toJson(Report::Format::Compact),
        QByteArray("{\"mode\":\"replay\",\"events\":0,\"badLines\":0,\"persist\":{\"attempted\":"
                   "0,\"succeeded\":0,\"failed\":0},\"switches\":0,\"retriesRecovered\":0,"
                   "\"staleJobs\":0,\"jobs\":[]}\n"));
}

void TestReplay::unreadableFileNamesThePath()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(u"nope.jsonl"_s);
    QString error;
    ReplaySource source(missing);
    QVERIFY(!source.open(&error));
    QVERIFY2(error.contains(missing), qPrintable(error));
    ReplaySource directory(dir.path());
    QVERIFY(!directory.open(&error));
    QVERIFY2(error.contains(dir.path()), qPrintable(error));
    // start() without a successful open() reports and finishes instead of hanging.
    QSignalSpy readError(&source, &EventSource::readError);
    QSignalSpy finished(&source, &EventSource::finished);
    source.start();
    QCOMPARE(readError.count(), 1);
    QCOMPARE(finished.count(), 1);
}

void TestReplay::pacesByTimestamps()
{
    // ts 0 s, 0.5 s, 1 s at speed 10: the last line is due 100 ms after the first.
    auto at = [](int ms, const QString &backend) {
        EventLine l = EventLine::event(u"j1"_s, u"w1"_s, backend);
        l.setTime(QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC).addMSecs(ms));
        return l;
    };
    QByteArray data = lines({at(0, u"b1"_s), at(500, u"b2"_s),
                             EventLine::event(u"j2"_s, u"w"_s, u"b"_s), at(1000, u"b3"_s)});
    for (const double speed : {10.0, 0.0}) {
        Rig rig;
        QVERIFY(rig.open());
        QBuffer buffer(&data);
        QVERIFY(buffer.open(QIODevice::ReadOnly));
        ReplaySource source(&buffer, u"buffer"_s);
        source.setSpeed(speed);
        QCOMPARE(source.isLockStep(), speed == 0.0);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(rig.replay(source));
        if (speed > 0)
            QVERIFY2(clock.elapsed() >= 95, qPrintable(QString::number(clock.elapsed())));
        QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(rig.db().value(u"j1"_s), u"b3"_s);
        QCOMPARE(rig.report(0).events, 4u);
    }
}

namespace {
QStringList g_warnings;
QtMessageHandler g_previous = nullptr;
void keepWarnings(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg)
        g_warnings.append(message);
    g_previous(type, context, message);
}
} // namespace

void TestReplay::longGapsAreCutToMaxWait()
{
    // A recorded pause of days (or a line from another clock) must not stall a replay: each
    // gap is cut to the longest wait, the lines after it keep their spacing, and the first
    // cut is announced once.
    auto at = [](qint64 ms, const QString &backend) {
        EventLine l = EventLine::event(u"j1"_s, u"w1"_s, backend);
        l.setTime(QDateTime(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC).addMSecs(ms));
        return l;
    };
    QByteArray data =
        lines({at(0, u"b1"_s), at(10'000, u"b2"_s), at(10'100, u"b3"_s), at(86'400'000, u"b4"_s)});
    Rig rig;
    QVERIFY(rig.open());
    QBuffer buffer(&data);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    ReplaySource source(&buffer, u"buffer"_s);
    source.setSpeed(1);
    QCOMPARE(source.maxWaitMs(), ReplaySource::MaxWaitMs);
    source.setMaxWaitMs(200);
    g_warnings.clear();
    g_previous = qInstallMessageHandler(keepWarnings);
    QElapsedTimer clock;
    clock.start();
    const bool done = rig.replay(source);
    const qint64 elapsed = clock.elapsed();
    qInstallMessageHandler(g_previous);
    QVERIFY(done);
    // 200 ms (cut from 10 s) + 100 ms (kept) + 200 ms (cut from a day).
    QVERIFY2(elapsed >= 480, qPrintable(QString::number(elapsed)));
    QVERIFY2(elapsed < 5000, qPrintable(QString::number(elapsed)));
    QCOMPARE(source.clampedGaps(), qint64(2));
    const QStringList cuts = g_warnings.filter(u"waits at most 0.2 s between two lines"_s);
    QCOMPARE(cuts.size(), 1);
    QVERIFY2(cuts.first().contains(u"line 2 is due 10.0 s after"_s), qPrintable(cuts.first()));
    QCOMPARE(rig.db().value(u"j1"_s), u"b4"_s);
}

void TestReplay::recordStampsFromItsClock()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"record.jsonl"_s);
    const QDateTime simulated(QDate(2000, 1, 1), QTime(0, 0, 5), Qt::UTC);
    {
        RecordWriter record(path);
        QString error;
        QVERIFY2(record.open(&error), qPrintable(error));
        record.setClock([simulated] { return simulated; });
        FaultSpec fault = *FaultSpec::parse(u"fail-next=1"_s, &error);
        record.write(EventLine::faultLine(fault)); // no ts: the record's clock
        EventLine stamped = EventLine::event(u"j1"_s, u"w1"_s, u"b1"_s);
        stamped.setTime(simulated.addSecs(1)); // its own ts is kept
        record.write(stamped);
        QVERIFY(record.close());
    }
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> written = file.readAll().trimmed().split('\n');
    QCOMPARE(written.size(), 2);
    QString error;
    QCOMPARE(EventLine::parse(written.at(0), &error)->time, simulated);
    QCOMPARE(EventLine::parse(written.at(1), &error)->time, simulated.addSecs(1));

    // A simulation's record stamps every line, its own ts or not: one clock.
    {
        RecordWriter record(path);
        QString error2;
        QVERIFY(record.open(&error2));
        record.setClock([simulated] { return simulated; }, true);
        EventLine wall = EventLine::event(u"j1"_s, u"w1"_s, u"b1"_s);
        wall.setTime(QDateTime::currentDateTimeUtc());
        record.write(wall);
        QVERIFY(record.close());
    }
    QFile again(path);
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(EventLine::parse(again.readAll().trimmed(), &error)->time, simulated);
}

QTEST_GUILESS_MAIN(TestReplay)
#include "tst_replay.moc"
