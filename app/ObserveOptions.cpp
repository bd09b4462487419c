#include "ObserveOptions.h"

#include "CommandLine.h"
#include "observe/ObservationMap.h"
#include "store/DbUrl.h"

#include <QCommandLineParser>
#include <QFileInfo>

#include <cmath>

namespace {

bool parseHistory(const QCommandLineParser &parser, CommandLine *cl,
                  void (*fail)(const QString &, int *), int *exitCode)
{
    if (parser.isSet(QStringLiteral("history-days"))) {
        const QString text = parser.value(QStringLiteral("history-days"));
        bool ok = false;
        const int days = text.toInt(&ok);
        if (!ok || days < 1 || days > 3650) {
            fail(QStringLiteral("--history-days needs a whole number from 1 to 3650, got '%1'")
                     .arg(text),
                 exitCode);
            return false;
        }
        cl->historyDays = days;
    }
    if (!parser.isSet(QStringLiteral("history")))
        return true;
    cl->history = parser.value(QStringLiteral("history"));
    if (cl->history == u"none") {
        if (parser.isSet(QStringLiteral("history-days"))) {
            fail(QStringLiteral("--history-days does not apply to --history none"), exitCode);
            return false;
        }
        return true;
    }
    const QFileInfo info(cl->history);
    QString why;
    if (cl->history.isEmpty())
        why = QStringLiteral("needs a file name or 'none'");
    else if (info.isDir())
        why = QStringLiteral("is a directory");
    // Stickyboard's own file, never the operator's database.
    else if (const std::optional<DbUrl> watched = DbUrl::parse(cl->watch, nullptr);
             watched && watched->kind == DbUrl::Kind::Sqlite &&
             QFileInfo(watched->path).absoluteFilePath() == info.absoluteFilePath())
        why = QStringLiteral("is the watched database: the history is Stickyboard's own file");
    if (!why.isEmpty()) {
        fail(QStringLiteral("--history '%1': %2").arg(cl->history, why), exitCode);
        return false;
    }
    return true;
}

} // namespace

void addObserveOptions(QCommandLineParser &parser)
{
    parser.addOptions({
        {QStringLiteral("observe"),
         QStringLiteral("Watch mode: follow a gateway's JSON-lines log like tail -F (appends, "
                        "rotation, truncation) as observations of where jobs are served; '-' "
                        "= stdin. Repeatable."),
         QStringLiteral("FILE")},
        {QStringLiteral("observe-map"),
         QStringLiteral("How --observe lines (and POST /ingest/litellm payloads) map to "
                        "observations: job=PTR,backend=PTR[,worker=PTR][,cacheKey=PTR][,ts=PTR] "
                        "with RFC 6901 JSON Pointers. Default: event lines."),
         QStringLiteral("MAP")},
        {QStringLiteral("observe-from-start"),
         QStringLiteral("Read --observe files whole first instead of from their end.")},
        {QStringLiteral("stale-after"),
         QStringLiteral("Watch mode: a job whose observed backend differs from the table for "
                        "longer than S seconds is stale (default 10)."),
         QStringLiteral("S")},
        {QStringLiteral("history"),
         QStringLiteral("Watch mode: where Stickyboard keeps its own record of what it saw "
                        "(table switches, observations, stale periods), an SQLite file; 'none' "
                        "keeps nothing. Default: watch-history.db in the data folder."),
         QStringLiteral("PATH|none")},
        {QStringLiteral("history-days"),
         QStringLiteral("Days the --history record is kept (default 7)."), QStringLiteral("N")},
    });
}

bool parseObserveOptions(const QCommandLineParser &parser, CommandLine *cl,
                         void (*fail)(const QString &, int *), int *exitCode)
{
    const char *const options[] = {"observe",     "observe-map", "observe-from-start",
                                   "stale-after", "history",     "history-days"};
    if (!parser.isSet(QStringLiteral("watch"))) {
        for (const char *option : options) {
            if (parser.isSet(QLatin1String(option))) {
                fail(QStringLiteral("--%1 only applies to --watch (observations are compared "
                                    "with a watched table)")
                         .arg(QLatin1String(option)),
                     exitCode);
                return false;
            }
        }
        return true;
    }
    if (parser.isSet(QStringLiteral("stale-after"))) {
        const QString text = parser.value(QStringLiteral("stale-after"));
        bool ok = false;
        const double s = text.toDouble(&ok);
        if (!ok || !std::isfinite(s) || s < 0 || s > 30 * 86'400) {
            fail(QStringLiteral("--stale-after needs a number of seconds from 0 to 2592000, got "
                                "'%1'")
                     .arg(text),
                 exitCode);
            return false;
        }
        cl->staleAfterS = s;
    }
    cl->observeFiles = parser.values(QStringLiteral("observe"));
    if (cl->observeFiles.count(QStringLiteral("-")) > 1) {
        fail(QStringLiteral("--observe - is given twice: stdin can be followed once"), exitCode);
        return false;
    }
    for (const QString &path : std::as_const(cl->observeFiles)) {
        const QFileInfo info(path);
        if (path.isEmpty() ||
            (path != u"-" && info.exists() && (info.isDir() || !info.isReadable()))) {
            fail(QStringLiteral("--observe '%1': %2")
                     .arg(path, path.isEmpty() ? QStringLiteral("needs a file name")
                                : info.isDir() ? QStringLiteral("is a directory")
                                               : QStringLiteral("cannot be read")),
                 exitCode);
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("observe-map"))) {
        cl->observeMap = parser.value(QStringLiteral("observe-map"));
        QString error;
        if (!ObservationMap::parse(cl->observeMap, &error)) {
            fail(error, exitCode); // names --observe-map and the bad part
            return false;
        }
        if (cl->observeFiles.isEmpty() && !parser.isSet(QStringLiteral("listen"))) {
            fail(QStringLiteral("--observe-map maps --observe files and POST /ingest/litellm: "
                                "give --observe FILE or --listen"),
                 exitCode);
            return false;
        }
    }
    if (parser.isSet(QStringLiteral("observe-from-start")) && cl->observeFiles.isEmpty()) {
        fail(QStringLiteral("--observe-from-start only applies to --observe"), exitCode);
        return false;
    }
    cl->observeFromStart = parser.isSet(QStringLiteral("observe-from-start"));
    return parseHistory(parser, cl, fail, exitCode);
}
