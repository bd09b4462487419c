#include "sources/DemoSource.h"

#include "tracker/TrackerTable.h"

#include <cmath>

DemoSource::DemoSource(TrackerTable *tracker, Options options, QObject *parent)
    : QObject(parent), m_tracker(tracker), m_options(options), m_rng(options.seed)
{
    for (int b = 0; b < m_options.backends; ++b)
        m_backends.append(m_tracker->internBackend(QStringLiteral("backend-%1").arg(b)));
    for (int j = 0; j < m_options.jobs; ++j)
        m_jobs.append(
            m_tracker->ensureJob(QStringLiteral("job-%1").arg(j), QStringLiteral("w%1").arg(j)));
    // One tick serves every job: ~rate events per job per second.
    m_timer.setInterval(std::max(1, int(1000.0 / std::max(0.1, m_options.rate))));
    connect(&m_timer, &QTimer::timeout, this, &DemoSource::tick);
}

void DemoSource::start()
{
    m_timer.start();
}

void DemoSource::stop()
{
    m_timer.stop();
}

void DemoSource::tick()
{
    const auto backends = quint32(m_backends.size());
    for (const quint32 job : std::as_const(m_jobs)) {
        const JobState &s = m_tracker->state(job);
        // The gateway honours the job's preferred backend unless it moves it.
        quint32 backend = s.current;
        const bool moved = backend == JobState::None || m_rng.next() < m_options.switchChance;
        if (moved)
            backend = m_backends.at(qsizetype(std::floor(m_rng.next() * backends)) % backends);
        const QString cacheKey =
            moved ? QString() : QStringLiteral("k%1").arg(m_rng.nextU32() % 1000);
        m_tracker->onEvent(job, backend, cacheKey);
    }
}
