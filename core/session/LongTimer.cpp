#include "session/LongTimer.h"

#include <algorithm>
#include <cmath>

LongTimer::LongTimer(QObject *parent) : QObject(parent)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &LongTimer::arm);
}

void LongTimer::start(double seconds)
{
    const double ms = std::isfinite(seconds) && seconds > 0 ? std::ceil(seconds * 1000.0) : 0.0;
    // Past about 292 years a qint64 of nanoseconds overflows: no caller means that long.
    m_deadline = QDeadlineTimer(qint64(std::min(ms, 1e15)), Qt::PreciseTimer);
    arm();
}

void LongTimer::stop()
{
    m_timer.stop();
}

qint64 LongTimer::remainingMs() const
{
    return m_timer.isActive() ? std::max<qint64>(m_deadline.remainingTime(), 0) : 0;
}

void LongTimer::arm()
{
    const qint64 left = m_deadline.remainingTime();
    if (left <= 0) {
        Q_EMIT timeout();
        return;
    }
    // Precise for the last step, so a short timer keeps its promise to the millisecond.
    m_timer.setTimerType(left < StepMs ? Qt::PreciseTimer : Qt::CoarseTimer);
    m_timer.start(int(std::min(left, StepMs)));
}
