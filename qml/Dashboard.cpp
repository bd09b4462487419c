#include "Dashboard.h"

#include "models/ChangeFeed.h"
#include "tracker/TrackerTable.h"

#include <QJSEngine>
#include <QPointer>

namespace {
QPointer<Dashboard> g_instance;
}

Dashboard::Dashboard(QObject *parent) : QObject(parent)
{
    // Counters that need a scan of all jobs refresh twice a second, not per event.
    m_counterTimer.setInterval(500);
    connect(&m_counterTimer, &QTimer::timeout, this, &Dashboard::refreshCounters);
}

Dashboard *Dashboard::create(QQmlEngine *, QJSEngine *)
{
    if (!g_instance)
        g_instance = new Dashboard(nullptr);
    QJSEngine::setObjectOwnership(g_instance, QJSEngine::CppOwnership);
    return g_instance;
}

void Dashboard::setInstance(Dashboard *dashboard)
{
    g_instance = dashboard;
}

void Dashboard::attach(TrackerTable *tracker, ChangeFeed *feed, QAbstractItemModel *jobs,
                       const QString &mode, const QString &database)
{
    Q_UNUSED(feed);
    m_tracker = tracker;
    m_jobs = jobs;
    m_mode = mode;
    m_database = database;
    m_rateClock.start();
    m_lastEvents = tracker ? tracker->counters().events : 0;
    m_counterTimer.start();
    Q_EMIT configChanged();
    refreshCounters();
}

int Dashboard::jobCount() const
{
    return m_tracker ? int(m_tracker->jobCount()) : 0;
}

qint64 Dashboard::events() const
{
    return m_tracker ? qint64(m_tracker->counters().events) : 0;
}

qint64 Dashboard::switches() const
{
    return m_tracker ? qint64(m_tracker->counters().switches) : 0;
}

qint64 Dashboard::writesOk() const
{
    return m_tracker ? qint64(m_tracker->counters().succeeded) : 0;
}

qint64 Dashboard::writesFailed() const
{
    return m_tracker ? qint64(m_tracker->counters().failed) : 0;
}

void Dashboard::refreshCounters()
{
    if (!m_tracker)
        return;
    const quint64 events = m_tracker->counters().events;
    const qint64 elapsed = m_rateClock.restart();
    if (elapsed > 0)
        m_eventsPerSecond = double(events - m_lastEvents) * 1000.0 / double(elapsed);
    m_lastEvents = events;
    m_retryPending = int(m_tracker->retryPendingCount());
    m_stale = int(m_tracker->staleCount());
    Q_EMIT countersChanged();
}
