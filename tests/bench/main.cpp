// stickyboard-bench: benchmarks of the real code paths. See the README's "Benchmarks".
#include "TrackerBench.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("stickyboard-bench"));
    const QStringList args = app.arguments();
    const QString which = args.value(1);
    if (which == QLatin1String("tracker"))
        return runTrackerBench(args.mid(2));
    QTextStream(stderr) << "usage: stickyboard-bench tracker [--jobs J] [--events E] [--backends B]"
                           " [--switch-rate S] [--fail-rate F] [--seed N] [--db URL]\n";
    return 2;
}
