// What the window (and other front ends) may ask of a running session beyond events and
// faults: backend states and which jobs run.
#include "session/Session.h"

#include "sim/GatewaySim.h"
#include "sources/EventDispatcher.h"
#include "sources/EventLine.h"

bool Session::setBackendState(const QString &backendId, const QString &state)
{
    if (m_sim) {
        if (state == QLatin1String("offline"))
            return m_sim->takeOffline(backendId);
        if (state == QLatin1String("saturated"))
            return m_sim->saturate(backendId);
        if (state == QLatin1String("online"))
            return m_sim->bringOnline(backendId);
        return false;
    }
    // No simulation to change: record the operator's word like a backend line.
    if (!EventLine::isBackendState(state))
        return false;
    m_dispatcher->dispatch(EventLine::backendLine(backendId, state));
    return true;
}

QStringList Session::runningJobs() const
{
    QStringList jobs;
    if (!m_sim)
        return jobs;
    const QList<SimJobInfo> running = m_sim->runningJobs();
    jobs.reserve(running.size());
    for (const SimJobInfo &job : running)
        jobs.append(job.jobId);
    return jobs;
}
