#include "sources/SimSource.h"

#include "sim/GatewaySim.h"
#include "tracker/TrackerTable.h"

#include <QDateTime>

SimSource::SimSource(GatewaySim *sim, TrackerTable *tracker, QObject *parent)
    : EventSource(parent), m_sim(sim)
{
    sim->setPreferredBackend([tracker](const QString &jobId) {
        const quint32 job = tracker->findJob(jobId);
        return job == TrackerTable::None ? QString() : tracker->preferredBackend(job);
    });
    connect(sim, &GatewaySim::event, this,
            [this](const QString &job, const QString &worker, const QString &backend,
                   const QString &cacheKey) {
                EventLine line = EventLine::event(job, worker, backend, cacheKey);
                stamp(line);
                emitLine(line);
            });
    connect(sim, &GatewaySim::backendStateChanged, this,
            [this](const QString &backend, const QString &state) {
                EventLine line = EventLine::backendLine(backend, state);
                stamp(line);
                emitLine(line);
            });
    connect(sim, &GatewaySim::timeLimitReached, this, &EventSource::finished);
}

QDateTime SimSource::now() const
{
    static const QDateTime epoch(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC);
    return epoch.addMSecs(qint64(m_sim->now() * 1000.0));
}

void SimSource::stamp(EventLine &line) const
{
    // Simulated time, so the same seed records the same file, and a replay at --speed 1
    // keeps the simulation's pace.
    line.setTime(now());
}

void SimSource::start()
{
    m_sim->start();
}

void SimSource::stop()
{
    m_sim->stop();
}
