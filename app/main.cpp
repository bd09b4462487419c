// stickyboard: parses the command line, wires a Session, and shows it in a window or on stderr.
#include "CommandLine.h"
#include "HeadlessSummary.h"
#include "Interrupts.h"
#include "http/HttpApi.h"
#include "session/Session.h"
#include "store/DbUrl.h"
#include "util/Logging.h"

#include <QGuiApplication>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <cstdlib>
#include <memory>

int runGui(QGuiApplication &app, Session &session, const CommandLine &cl);

namespace {

// The store's thread may be stuck in a call that never returns (a black-holed server):
// destructors would wait for it forever, so an abandoned run ends here.
[[noreturn]] void exitNow(int code)
{
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(code);
}

bool wantsHeadless(int argc, char **argv, bool *announced)
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray arg(argv[i]);
        if (arg == "--headless" || arg == "--help" || arg == "-h" || arg == "--version" ||
            arg == "-v")
            return true;
    }
    // No display and no platform chosen: say so and run headless instead of failing obscurely.
    if (qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        *announced = true;
        return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Stickyboard"));
    QCoreApplication::setApplicationName(QStringLiteral("stickyboard"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STICKYBOARD_VERSION_FULL));

    bool noDisplay = false;
    const bool headless = wantsHeadless(argc, argv, &noDisplay);
    std::unique_ptr<QCoreApplication> app;
    if (headless)
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QGuiApplication>(argc, argv);

    int exitCode = 0;
    std::optional<CommandLine> cl = CommandLine::parse(app->arguments(), &exitCode);
    if (!cl)
        return exitCode;
    if (noDisplay && !cl->headless) {
        QTextStream(stderr) << "stickyboard: no display found (DISPLAY is not set); running "
                               "headless. Run under xvfb-run, or pass --headless.\n";
        cl->headless = true;
    }
    if (!cl->verbose)
        QLoggingCategory::setFilterRules(QStringLiteral("stickyboard.*.info=false\n"
                                                        "stickyboard.tracker.warning=false"));

    QString error;
    // A replay without --db goes to a throwaway database: the same file, the same report.
    std::optional<DbUrl> url;
    if (!cl->watch.isEmpty())
        url = DbUrl::parse(cl->watch, &error);
    else if (!cl->db.isEmpty())
        url = DbUrl::parse(cl->db, &error);
    else if (!cl->replay.isEmpty())
        url = DbUrl::parse(QStringLiteral("sqlite::memory:"), &error);
    else
        url = DbUrl::defaultSqlite();
    Session session(cl->sessionOptions(), *url);
    QObject::connect(&session, &Session::failed, app.get(), [&](const QString &message, int code) {
        QTextStream(stderr) << "stickyboard: " << message << "\n";
        // Queued: a failure can arrive before exec() runs, when exit() would be ignored.
        QMetaObject::invokeMethod(
            app.get(), [&app, code] { app->exit(code); }, Qt::QueuedConnection);
    });
    QObject::connect(&session, &Session::finished, app.get(), [&] {
        QMetaObject::invokeMethod(
            app.get(), [&app] { app->exit(0); }, Qt::QueuedConnection);
    });

    // HTTP starts once the trackers hold the database's snapshot: a POST /events before
    // then would race the load.
    std::unique_ptr<HttpApi> http;
    if (cl->listen) {
        QObject::connect(&session, &Session::ready, app.get(), [&] {
            http = std::make_unique<HttpApi>(&session);
            QString listenError;
            HttpApi::Options options;
            options.listen = *cl->listen;
            options.token = cl->listenToken;
            options.origins = cl->listenOrigins;
            options.names = cl->listenNames;
            if (!http->start(options, &listenError)) {
                QTextStream(stderr) << "stickyboard: " << listenError << "\n";
                http.reset();
                app->exit(2);
                return;
            }
            QTextStream(stderr) << "stickyboard: serving " << http->url()
                                << "/metrics, /api/jobs, /healthz and POST /events\n";
        });
    }

    // The same stop for every mode: the first SIGINT/SIGTERM shuts down cleanly (every
    // write settles, then the report), the second ends the process at once.
    std::unique_ptr<HeadlessSummary> summary;
    Interrupts interrupts;
    QObject::connect(&interrupts, &Interrupts::interrupted, &session, [&](int count) {
        if (count == 1) {
            if (summary) {
                summary->stop();
            } else {
                QTextStream(stderr) << "stickyboard: stopping: letting every write settle "
                                       "(interrupt again to exit at once)\n";
                session.shutdown();
            }
            return;
        }
        const qsizetype left = session.abandon();
        QTextStream(stderr) << "stickyboard: interrupted again: exiting at once with " << left
                            << " write(s) left unsettled, no report\n";
        exitNow(130);
    });

    int code = 0;
    if (cl->headless) {
        summary = std::make_unique<HeadlessSummary>(&session, *cl);
        session.start();
        code = app->exec();
    } else {
        code = runGui(static_cast<QGuiApplication &>(*app), session, *cl);
    }
    if (session.abandoned())
        exitNow(code);
    return code;
}
