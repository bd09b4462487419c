#include "models/ChangeFeed.h"

#include "tracker/TrackerTable.h"

ChangeFeed::ChangeFeed(TrackerTable *tracker, int intervalMs, QObject *parent)
    : QObject(parent), m_tracker(tracker)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ChangeFeed::drain);
    connect(tracker, &TrackerTable::jobsChanged, this, [this] {
        if (!m_timer.isActive())
            m_timer.start();
    });
}

void ChangeFeed::drain()
{
    m_timer.stop();
    const QList<quint32> changed = m_tracker->takeChangedJobs();
    const qsizetype previous = m_jobCount;
    m_jobCount = m_tracker->jobCount();
    if (!changed.isEmpty() || previous != m_jobCount)
        Q_EMIT batch(changed, previous);
}
