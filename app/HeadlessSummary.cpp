#include "HeadlessSummary.h"

#include "session/Session.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchSource.h"

#include <QCoreApplication>
#include <QTextStream>

#include <unistd.h>

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
            connect(&m_duration, &LongTimer::timeout, this, &HeadlessSummary::stop);
            m_duration.start(commandLine.durationS);
        }
    });
    connect(session, &Session::finished, this, [this] { print(true); });
    // The end of a replayed file ends a headless run (the window stays open instead).
    connect(session, &Session::sourceFinished, this, &HeadlessSummary::stop);
}

HeadlessSummary::~HeadlessSummary() = default;

void HeadlessSummary::stop()
{
    if (m_session->stopping())
        return;
    m_ticker.stop();
    m_duration.stop();
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
        const Staleness &staleness = tracker->staleness();
        const qint64 oldest = staleness.oldestStaleSinceMs(staleness.now());
        line +=
            QStringLiteral(" (%1 pending, %2 observations%3)")
                .arg(QString::number(staleness.pendingCount(staleness.now())),
                     QString::number(c.observations),
                     oldest > 0
                         ? QStringLiteral(", oldest %1 s").arg((staleness.now() - oldest) / 1000)
                         : QString());
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
