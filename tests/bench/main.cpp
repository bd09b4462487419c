// stickyboard-bench: benchmarks of the real code paths. See the README's "Benchmarks".
#include "ObserveBench.h"
#include "SoakBench.h"
#include "TrackerBench.h"
#include "UiBench.h"
#include "WatchBench.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QTextStream>

#include <memory>

int main(int argc, char **argv)
{
    const QByteArray which = argc > 1 ? QByteArray(argv[1]) : QByteArray();
    std::unique_ptr<QCoreApplication> app;
    if (which == "ui" || which == "observe") {
        // The real window, offscreen, unless a platform was chosen.
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    // Its own settings file: the UI bench picks a view without touching the user's choice.
    QCoreApplication::setOrganizationName(QStringLiteral("Stickyboard"));
    QCoreApplication::setApplicationName(QStringLiteral("stickyboard-bench"));
    const QStringList args = app->arguments();
    if (which == "tracker")
        return runTrackerBench(args.mid(2));
    if (which == "ui")
        return runUiBench(args.mid(2));
    if (which == "watch")
        return runWatchBench(args.mid(2));
    if (which == "soak")
        return runSoakBench(args.mid(2));
    if (which == "observe")
        return runObserveBench(args.mid(2));
    QTextStream(stderr)
        << "usage: stickyboard-bench tracker [--jobs J] [--events E] [--backends B]"
           " [--switch-rate S] [--fail-rate F] [--seed N] [--db URL]\n"
           "       stickyboard-bench ui [--seconds S] [--jobs J] [--workers W] [--rate R]\n"
           "       stickyboard-bench watch [--rows N] [--rounds R] [--changes K] [--seed N]"
           "   (PostgreSQL too when STICKYBOARD_TEST_PG_URL is set)\n"
           "       stickyboard-bench soak [--minutes M] [--rate R] [--jobs J] [--fail-rate F]"
           " [--db FILE|URL]\n"
           "       stickyboard-bench observe [--seconds S] [--rate R] [--jobs N] [--db URL]"
           " [--stale-share P]   (--db defaults to STICKYBOARD_TEST_PG_URL)\n";
    return 2;
}
