// How a run ends (Session::shutdown() and what it waits for): one sequence for every trigger.
#include "session/Session.h"

#include "faults/FaultInjector.h"
#include "observe/ObservationIntake.h"
#include "report/Report.h"
#include "session/LongTimer.h"
#include "sources/EventSource.h"
#include "sources/RecordWriter.h"
#include "tracker/TrackerTable.h"

#include <QException>
#include <QTimer>

void Session::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_durationTimer)
        m_durationTimer->stop();
    if (m_source)
        m_source->stop();
    if (m_observations)
        m_observations->stop();
    if (!m_started) {
        // Nothing was loaded, so nothing was written and there is nothing to report; the
        // connect may never return (a server that accepts and never answers).
        abandon();
        Q_EMIT failed(QStringLiteral("stopped before the database %1 was reached: nothing "
                                     "was written, no report")
                          .arg(m_url.redacted()),
                      3);
        return;
    }
    // Never hang: a database that stops answering must not keep the process alive.
    m_settleTimer = new QTimer(this);
    m_settleTimer->setSingleShot(true);
    connect(m_settleTimer, &QTimer::timeout, this, &Session::settleTimedOut);
    m_settleTimer->start(SettleTimeoutMs);
    if (m_faults)
        m_faults->releaseDelays(); // may settle writes inline
    m_tracker->flush();
    if (m_tracker->writesInFlight() == 0) {
        writeReportAndFinish();
        return;
    }
    connect(m_tracker.get(), &TrackerTable::settled, this, &Session::writeReportAndFinish,
            Qt::SingleShotConnection);
}

qsizetype Session::abandon()
{
    m_abandoned = true;
    m_stopping = true;
    if (m_settleTimer)
        m_settleTimer->stop();
    if (m_source)
        m_source->stop();
    if (m_recorder)
        m_recorder->close(); // what was applied is on disk, even if the rest is given up
    return m_tracker->writesInFlight();
}

void Session::settleTimedOut()
{
    if (m_finished || m_abandoned)
        return;
    const qsizetype left = abandon();
    const QString message =
        left > 0 ? QStringLiteral("%1 write(s) did not settle within %2 s: the database %3 "
                                  "does not answer; exiting without a report")
                       .arg(left)
                       .arg(SettleTimeoutMs / 1000)
                       .arg(m_url.redacted())
                 : QStringLiteral("the report could not be read from the database %1 within "
                                  "%2 s; exiting without it")
                       .arg(m_url.redacted())
                       .arg(SettleTimeoutMs / 1000);
    Q_EMIT failed(message, 3);
}

void Session::writeReportAndFinish()
{
    if (m_abandoned)
        return;
    if (m_recorder)
        m_recorder->close();
    const auto finish = [this] {
        m_finished = true;
        if (m_settleTimer)
            m_settleTimer->stop();
        Q_EMIT finished();
    };
    if (m_options.report.isEmpty()) {
        finish();
        return;
    }
    collectReport()
        .then(this,
              [this, finish](const Report &report) {
                  if (m_abandoned)
                      return;
                  QString error;
                  if (!report.write(m_options.report, Report::Format::Pretty, &error)) {
                      m_finished = true;
                      Q_EMIT failed(error, 2);
                      return;
                  }
                  finish();
              })
        .onFailed(this, [this](const QException &e) {
            if (m_abandoned)
                return;
            m_finished = true;
            Q_EMIT failed(
                QStringLiteral("cannot write the report: %1").arg(QString::fromUtf8(e.what())), 3);
        });
}
