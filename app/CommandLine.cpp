#include "CommandLine.h"

#include "ObserveOptions.h"

#include "faults/FaultSpec.h"
#include "http/ListenToken.h"
#include "http/RequestGate.h"
#include "store/DbUrl.h"

#include <QCommandLineParser>
#include <QTextStream>

#include <cmath>

namespace {

void fail(const QString &message, int *exitCode)
{
    QTextStream(stderr) << "stickyboard: " << message << "\n"
                        << "Try 'stickyboard --help' for the options.\n";
    *exitCode = 2;
}

// Shortest text for a limit: "315576000", not "3.15576e+08".
QString limitText(double value)
{
    return QString::number(value, 'g', 15);
}

/// Refuses what is not a plain finite number in [min, max]: NaN and infinities (which
/// compare false with every limit), negatives where min is 0, and values that overflow.
template <typename T>
bool number(const QCommandLineParser &parser, const QString &name, T min, T max, T *out,
            int *exitCode)
{
    if (!parser.isSet(name))
        return true;
    const QString text = parser.value(name);
    bool ok = false;
    double value = 0;
    if constexpr (std::is_integral_v<T>) {
        const qlonglong whole = text.toLongLong(&ok);
        value = double(whole);
    } else {
        value = text.toDouble(&ok);
    }
    if (!ok || !std::isfinite(value) || value < double(min) || value > double(max)) {
        fail(QStringLiteral("--%1 needs a %2 from %3 to %4, got '%5'")
                 .arg(name,
                      std::is_integral_v<T> ? QStringLiteral("whole number")
                                            : QStringLiteral("number"),
                      limitText(double(min)), limitText(double(max)), text),
             exitCode);
        return false;
    }
    *out = T(value);
    return true;
}

bool parseWatch(const QCommandLineParser &parser, CommandLine *cl, int *exitCode)
{
    QString error;
    if (parser.isSet(QStringLiteral("watch-table")) &&
        !cl->watchSpec.setTable(parser.value(QStringLiteral("watch-table")), &error)) {
        fail(QStringLiteral("--watch-table: %1").arg(error), exitCode);
        return false;
    }
    if (parser.isSet(QStringLiteral("watch-columns")) &&
        !cl->watchSpec.setColumns(parser.value(QStringLiteral("watch-columns")), &error)) {
        fail(QStringLiteral("--watch-columns: %1").arg(error), exitCode);
        return false;
    }
    if (!number(parser, QStringLiteral("poll-ms"), 50, 3'600'000, &cl->watchSpec.pollMs, exitCode))
        return false;
    if (!parser.isSet(QStringLiteral("watch"))) {
        if (parser.isSet(QStringLiteral("print-watch-sql")))
            return true;
        for (const char *option : {"watch-table", "watch-columns", "poll-ms"}) {
            if (parser.isSet(QLatin1String(option))) {
                fail(QStringLiteral("--%1 only applies to --watch").arg(QLatin1String(option)),
                     exitCode);
                return false;
            }
        }
        return true;
    }
    cl->watch = parser.value(QStringLiteral("watch"));
    if (!DbUrl::parse(cl->watch, &error)) {
        fail(QStringLiteral("--watch: %1").arg(error), exitCode);
        return false;
    }
    // Watch mode reads someone else's table: every option that would write, drive the
    // trackers from elsewhere or inject faults contradicts it.
    for (const char *option :
         {"db", "replay", "speed", "fault", "seed", "jobs", "workers", "backends", "rate"}) {
        if (parser.isSet(QLatin1String(option))) {
            fail(QStringLiteral("--%1 cannot be combined with --watch (watch mode only reads the "
                                "watched table)")
                     .arg(QLatin1String(option)),
                 exitCode);
            return false;
        }
    }
    return true;
}

bool parseListen(const QCommandLineParser &parser, CommandLine *cl, int *exitCode)
{
    const bool listening = parser.isSet(QStringLiteral("listen"));
    for (const char *option :
         {"listen-token", "listen-token-file", "listen-origin", "listen-name"}) {
        if (!listening && parser.isSet(QLatin1String(option))) {
            fail(QStringLiteral("--%1 only applies to --listen").arg(QLatin1String(option)),
                 exitCode);
            return false;
        }
    }
    if (!listening)
        return true; // STICKYBOARD_LISTEN_TOKEN alone is ambient: not an error
    QString error;
    cl->listen = ListenAddress::parse(parser.value(QStringLiteral("listen")), &error);
    if (!cl->listen) {
        fail(error, exitCode); // names the option and the text already
        return false;
    }
    ListenToken::Sources sources;
    if (parser.isSet(QStringLiteral("listen-token")))
        sources.argument = parser.value(QStringLiteral("listen-token"));
    if (parser.isSet(QStringLiteral("listen-token-file")))
        sources.file = parser.value(QStringLiteral("listen-token-file"));
    if (qEnvironmentVariableIsSet(ListenToken::environmentVariable))
        sources.environment = qgetenv(ListenToken::environmentVariable);
    QString warning;
    const std::optional<QString> token = ListenToken::resolve(sources, &warning, &error);
    if (!token) {
        fail(error, exitCode);
        return false;
    }
    if (!warning.isEmpty())
        QTextStream(stderr) << "stickyboard: " << warning << "\n";
    cl->listenToken = *token;
    for (const QString &text : parser.values(QStringLiteral("listen-origin"))) {
        const std::optional<QString> origin = RequestGate::normalizeOrigin(text, &error);
        if (!origin) {
            fail(QStringLiteral("--listen-origin: %1").arg(error), exitCode);
            return false;
        }
        cl->listenOrigins.append(*origin);
    }
    for (const QString &text : parser.values(QStringLiteral("listen-name"))) {
        const std::optional<QString> name = RequestGate::normalizeName(text, &error);
        if (!name) {
            fail(QStringLiteral("--listen-name: %1").arg(error), exitCode);
            return false;
        }
        cl->listenNames.append(*name);
    }
    if (!cl->listen->isLoopback() && cl->listenToken.isEmpty()) {
        fail(QStringLiteral("--listen %1 is not a loopback address: pass --listen-token-file "
                            "PATH (or set %2), and send 'Authorization: Bearer TOKEN' with every "
                            "request")
                 .arg(cl->listen->toString(), QLatin1String(ListenToken::environmentVariable)),
             exitCode);
        return false;
    }
    return true;
}

/// --max-jobs / --max-backends: what outside input (replay, HTTP) may make the trackers hold.
bool parseLimits(const QCommandLineParser &parser, CommandLine *cl, int *exitCode)
{
    return number(parser, QStringLiteral("max-jobs"), qint64(1), qint64(100'000'000), &cl->maxJobs,
                  exitCode) &&
           number(parser, QStringLiteral("max-backends"), qint64(1), qint64(1'000'000),
                  &cl->maxBackends, exitCode);
}

} // namespace

std::optional<CommandLine> CommandLine::parse(const QStringList &arguments, int *exitCode)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stickyboard: watch sticky backend routing of worker jobs, live."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addOptions({
        {QStringLiteral("db"),
         QStringLiteral("Database: sqlite:PATH, sqlite::memory: or "
                        "postgresql://user:pass@host:port/db (default: a SQLite file in the "
                        "user's data folder)."),
         QStringLiteral("URL")},
        {QStringLiteral("headless"),
         QStringLiteral("No window: a live summary on stderr until --duration or Ctrl-C.")},
        {QStringLiteral("duration"),
         QStringLiteral("Stop after S seconds (at most ten years, 315576000)."),
         QStringLiteral("S")},
        {QStringLiteral("seed"), QStringLiteral("Simulation seed (default 42)."),
         QStringLiteral("N")},
        {QStringLiteral("jobs"), QStringLiteral("Jobs in the simulation (default 24)."),
         QStringLiteral("N")},
        {QStringLiteral("workers"), QStringLiteral("Workers running jobs (default 12)."),
         QStringLiteral("N")},
        {QStringLiteral("backends"), QStringLiteral("Backends (default 4)."), QStringLiteral("N")},
        {QStringLiteral("rate"), QStringLiteral("Requests per second per running job (default 2)."),
         QStringLiteral("R")},
        {QStringLiteral("max-jobs"),
         QStringLiteral("Refuse events that would add a job past N (default 2000000): each "
                        "is a bad line (replay) or a per-line error (HTTP)."),
         QStringLiteral("N")},
        {QStringLiteral("max-backends"),
         QStringLiteral("Refuse events that would add a backend past N (default 1000)."),
         QStringLiteral("N")},
        {QStringLiteral("fault"),
         QStringLiteral(
             "Inject persist faults: KIND[,job=ID|,worker=ID] with KIND one of "
             "fail-next=N, fail-rate=P[,seed=S], latency-ms=M (M <= 600000), offline, online, "
             "clear. Repeatable."),
         QStringLiteral("SPEC")},
        {QStringLiteral("replay"),
         QStringLiteral("Drive the trackers from a JSONL file ('-' = stdin) instead of the "
                        "simulation. Without --db, replays into a throwaway in-memory "
                        "database so the same file gives the same report every time."),
         QStringLiteral("FILE")},
        {QStringLiteral("speed"),
         QStringLiteral("Replay pace as a multiple of the 'ts' fields; 0 (default) = as fast "
                        "as possible, lock-step: each line settles before the next."),
         QStringLiteral("X")},
        {QStringLiteral("record"),
         QStringLiteral("Write every event, fault and backend change to FILE as replayable "
                        "JSONL."),
         QStringLiteral("FILE")},
        {QStringLiteral("report"),
         QStringLiteral("Write the JSON report to FILE at exit ('-' = stdout)."),
         QStringLiteral("FILE")},
        {QStringLiteral("screenshot"),
         QStringLiteral("GUI: save the window as PNG to FILE after --quit-after seconds, then "
                        "exit."),
         QStringLiteral("FILE")},
        {QStringLiteral("quit-after"),
         QStringLiteral("GUI: exit after S seconds (with --screenshot: save it first)."),
         QStringLiteral("S")},
        {QStringLiteral("watch"),
         QStringLiteral("Operator mode: watch an existing jobs table read-only (SQLite file or "
                        "postgresql://…). Stickyboard creates and writes nothing there; a SQLite "
                        "file in WAL mode needs SQLite's own FILE-shm coordination file (never "
                        "data) beside it, which SQLite creates when absent (the folder must then "
                        "be writable)."),
         QStringLiteral("URL")},
        {QStringLiteral("watch-table"),
         QStringLiteral("The table --watch reads: TABLE or SCHEMA.TABLE (default jobs)."),
         QStringLiteral("T")},
        {QStringLiteral("watch-columns"),
         QStringLiteral("Its columns: ID,BACKEND[,WORKER] (default id,last_backend_id)."),
         QStringLiteral("COLS")},
        {QStringLiteral("poll-ms"),
         QStringLiteral("How often --watch polls for changes, in ms (default 1000). With the "
                        "trigger of --print-watch-sql installed, changes arrive at once."),
         QStringLiteral("N")},
        {QStringLiteral("print-watch-sql"),
         QStringLiteral("Print the PostgreSQL trigger that makes --watch instant "
                        "(LISTEN/NOTIFY) for --watch-table/--watch-columns, then exit.")},
        {QStringLiteral("listen"),
         QStringLiteral("Serve HTTP on HOST:PORT: GET /metrics (Prometheus), GET /api/jobs, "
                        "GET /healthz, POST /events (NDJSON), POST /ingest/litellm (watch mode). "
                        "Default host 127.0.0.1."),
         QStringLiteral("HOST:PORT")},
        {QStringLiteral("listen-token"),
         QStringLiteral("Require 'Authorization: Bearer T' on every HTTP request; needed for a "
                        "non-loopback --listen. Prefer --listen-token-file: every local user "
                        "can read the command line."),
         QStringLiteral("T")},
        {QStringLiteral("listen-token-file"),
         QStringLiteral("The --listen-token from a file (trailing newline ignored); also "
                        "STICKYBOARD_LISTEN_TOKEN. Preferred: the command line is readable by "
                        "every local user."),
         QStringLiteral("PATH")},
        {QStringLiteral("listen-origin"),
         QStringLiteral("Let web pages from ORIGIN (scheme://host[:port]) call the HTTP API; "
                        "requests with another Origin get 403. Repeatable."),
         QStringLiteral("ORIGIN")},
        {QStringLiteral("listen-name"),
         QStringLiteral("Answer requests whose Host is NAME (besides the bound address and "
                        "localhost; others get 421). Repeatable."),
         QStringLiteral("NAME")},
        {QStringLiteral("verbose"),
         QStringLiteral("Log every switch and failed write (stickyboard.tracker).")},
    });

    addObserveOptions(parser);

    if (!parser.parse(arguments)) {
        fail(parser.errorText(), exitCode);
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        *exitCode = 0;
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        QTextStream(stdout) << "stickyboard " << QCoreApplication::applicationVersion() << "\n";
        *exitCode = 0;
        return std::nullopt;
    }
    if (!parser.positionalArguments().isEmpty()) {
        fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()),
             exitCode);
        return std::nullopt;
    }

    CommandLine cl;
    cl.headless = parser.isSet(QStringLiteral("headless"));
    cl.verbose = parser.isSet(QStringLiteral("verbose"));
    cl.screenshot = parser.value(QStringLiteral("screenshot"));
    cl.replay = parser.value(QStringLiteral("replay"));
    cl.record = parser.value(QStringLiteral("record"));
    cl.report = parser.value(QStringLiteral("report"));
    for (const char *option : {"replay", "record", "report", "screenshot"}) {
        const QString name = QLatin1String(option);
        if (parser.isSet(name) && parser.value(name).isEmpty()) {
            fail(QStringLiteral("--%1 needs a file name").arg(name), exitCode);
            return std::nullopt;
        }
    }
    if (parser.isSet(QStringLiteral("speed")) && cl.replay.isEmpty()) {
        fail(QStringLiteral("--speed only applies to --replay"), exitCode);
        return std::nullopt;
    }
    if (cl.record == QLatin1String("-") && cl.report == QLatin1String("-")) {
        fail(QStringLiteral("--record - and --report - cannot both write to stdout"), exitCode);
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("db"))) {
        cl.db = parser.value(QStringLiteral("db"));
        QString error;
        if (!DbUrl::parse(cl.db, &error)) {
            fail(QStringLiteral("--db: %1").arg(error), exitCode);
            return std::nullopt;
        }
    }
    if (!number(parser, QStringLiteral("duration"), 0.0, MaxSeconds, &cl.durationS, exitCode) ||
        !number(parser, QStringLiteral("seed"), quint32(0), quint32(0xffffffffu), &cl.seed,
                exitCode) ||
        !number(parser, QStringLiteral("jobs"), 1, 10'000'000, &cl.jobs, exitCode) ||
        !number(parser, QStringLiteral("workers"), 1, 1'000'000, &cl.workers, exitCode) ||
        !number(parser, QStringLiteral("backends"), 1, 1000, &cl.backends, exitCode) ||
        !number(parser, QStringLiteral("rate"), 0.0, 1e6, &cl.rate, exitCode) ||
        !number(parser, QStringLiteral("speed"), 0.0, 1e6, &cl.speed, exitCode) ||
        !number(parser, QStringLiteral("quit-after"), 0.0, MaxSeconds, &cl.quitAfterS, exitCode))
        return std::nullopt;
    if (!parseLimits(parser, &cl, exitCode))
        return std::nullopt;
    for (const QString &spec : parser.values(QStringLiteral("fault"))) {
        QString error;
        if (!FaultSpec::parse(spec, &error)) {
            fail(QStringLiteral("--fault '%1': %2").arg(spec, error), exitCode);
            return std::nullopt;
        }
        cl.faults.append(spec);
    }
    if (!parseWatch(parser, &cl, exitCode) || !parseListen(parser, &cl, exitCode) ||
        !parseObserveOptions(parser, &cl, fail, exitCode))
        return std::nullopt;
    if (parser.isSet(QStringLiteral("print-watch-sql"))) {
        QTextStream(stdout) << cl.watchSpec.postgresTriggerSql();
        *exitCode = 0;
        return std::nullopt;
    }
    if (!cl.screenshot.isEmpty() && cl.quitAfterS <= 0)
        cl.quitAfterS = 3;
    return cl;
}

Session::Options CommandLine::sessionOptions() const
{
    Session::Options o;
    o.mode = !watch.isEmpty()   ? Session::Mode::Watch
             : replay.isEmpty() ? Session::Mode::Simulate
                                : Session::Mode::Replay;
    o.seed = seed;
    o.jobs = jobs;
    o.workers = workers;
    o.backends = backends;
    o.rate = rate;
    o.durationS = durationS;
    o.faults = faults;
    o.replay = replay;
    o.speed = speed;
    o.record = record;
    o.report = report;
    o.watch = watchSpec;
    o.maxJobs = maxJobs;
    o.maxBackends = maxBackends;
    o.staleAfterS = staleAfterS;
    o.observeFiles = observeFiles;
    o.observeMap = observeMap;
    o.observeFromStart = observeFromStart;
    o.history = history;
    o.historyDays = historyDays;
    return o;
}
