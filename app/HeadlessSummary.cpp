#include "HeadlessSummary.h"

#include "session/Session.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchSource.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_signalPipe[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}
} // namespace

HeadlessSummary::HeadlessSummary(Session *session, const CommandLine &commandLine, QObject *parent)
    : QObject(parent), m_session(session), m_tty(::isatty(STDERR_FILENO) != 0)
{
    m_clock.start();
    m_ticker.setInterval(m_tty ? 250 : 1000);
    connect(&m_ticker, &QTimer::timeout, this, [this] { print(false); });
    connect(session, &Session::ready, this, [this, commandLine] {
        m_ticker.start();
        // A simulation stops itself after --duration simulated seconds, a watch after as
        // many wall-clock seconds (Session).
        if (commandLine.durationS > 0 && !commandLine.replay.isEmpty()) {
            m_duration.setSingleShot(true);
            connect(&m_duration, &QTimer::timeout, this, &HeadlessSummary::stop);
            m_duration.start(int(commandLine.durationS * 1000));
        }
    });
    connect(session, &Session::finished, this, [this] { print(true); });
    // The end of a replayed file ends a headless run (the window stays open instead).
    connect(session, &Session::sourceFinished, this, &HeadlessSummary::stop);

    // Ctrl-C and SIGTERM end the run cleanly, through the event loop.
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalPipe) == 0) {
        m_signals = new QSocketNotifier(g_signalPipe[0], QSocketNotifier::Read, this);
        connect(m_signals, &QSocketNotifier::activated, this, [this] {
            char byte = 0;
            [[maybe_unused]] const auto got = ::read(g_signalPipe[0], &byte, 1);
            stop();
        });
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
}

HeadlessSummary::~HeadlessSummary()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    delete m_signals;
    for (int &fd : g_signalPipe) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

void HeadlessSummary::stop()
{
    m_ticker.stop();
    if (m_tty)
        QTextStream(stderr) << "\r\x1b[2Kstopping: letting every write settle…\n";
    m_session->shutdown();
}

void HeadlessSummary::print(bool final)
{
    const TrackerTable *tracker = m_session->tracker();
    const auto &c = tracker->counters();
    const qint64 now = m_clock.elapsed();
    const double rate =
        now > m_lastMs ? double(c.events - m_lastEvents) * 1000.0 / double(now - m_lastMs) : 0.0;
    m_lastEvents = c.events;
    m_lastMs = now;
    QString line = QStringLiteral("%1 jobs  %2 events/s  %3 switches  writes %4 ok / %5 failed  "
                                  "%6 retry pending  %7 stale")
                       .arg(tracker->jobCount())
                       .arg(qRound64(rate))
                       .arg(c.switches)
                       .arg(c.succeeded)
                       .arg(c.failed)
                       .arg(tracker->retryPendingCount())
                       .arg(tracker->staleCount());
    if (const WatchSource *watch = m_session->watch()) {
        const QString problem = watch->problem();
        line += problem.isEmpty() ? QStringLiteral("  watch: live, %1").arg(watch->status().method)
                                  : QStringLiteral("  watch: %1").arg(problem);
    }
    QTextStream err(stderr);
    if (final)
        err << (m_tty ? "\r\x1b[2K" : "") << "final: " << line << "\n";
    else if (m_tty)
        err << "\r\x1b[2K" << line << Qt::flush;
    else
        err << line << "\n";
}
