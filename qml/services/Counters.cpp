#include "Counters.h"

#include "Services.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"

Counters::Counters(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(250);
    connect(&m_timer, &QTimer::timeout, this, &Counters::refresh);
}

Counters *Counters::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->counters());
}

void Counters::attach(Session *session)
{
    m_session = session;
    m_rateClock.start();
    m_lastEvents = session->tracker()->counters().events;
    m_timer.start();
    refresh();
}

const TrackerTable *Counters::tracker() const
{
    return m_session ? m_session->tracker() : nullptr;
}

int Counters::jobCount() const
{
    return tracker() ? int(tracker()->jobCount()) : 0;
}

int Counters::workerCount() const
{
    return tracker() ? int(tracker()->workers().size()) : 0;
}

double Counters::events() const
{
    return tracker() ? double(tracker()->counters().events) : 0;
}

double Counters::switches() const
{
    return tracker() ? double(tracker()->counters().switches) : 0;
}

double Counters::writesOk() const
{
    return tracker() ? double(tracker()->counters().succeeded) : 0;
}

double Counters::writesFailed() const
{
    return tracker() ? double(tracker()->counters().failed) : 0;
}

double Counters::retriesRecovered() const
{
    return tracker() ? double(tracker()->counters().retriesRecovered) : 0;
}

double Counters::badLines() const
{
    return m_session ? double(m_session->badLines()) : 0;
}

void Counters::refresh()
{
    const TrackerTable *t = tracker();
    if (!t)
        return;
    const quint64 events = t->counters().events;
    const qint64 elapsed = m_rateClock.restart();
    if (elapsed > 0) {
        // Smoothed, so the header does not flicker between ticks.
        const double now = double(events - m_lastEvents) * 1000.0 / double(elapsed);
        m_eventsPerSecond = m_eventsPerSecond * 0.6 + now * 0.4;
    }
    m_lastEvents = events;
    m_retryPending = int(t->retryPendingCount());
    m_stale = int(t->staleCount());
    Q_EMIT changed();
}
