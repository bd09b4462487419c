// GatewaySim's run-time controls, scenarios and snapshots for the UI; the event loop and
// the routing rules are in GatewaySim.cpp.
#include "sim/GatewaySim.h"

#include "util/IdCheck.h"
#include "util/Logging.h"

#include <QHash>

#include <utility>

int GatewaySim::indexOf(QStringView backendId) const
{
    for (int i = 0; i < m_backends.size(); ++i) {
        if (m_backends[i].id == backendId)
            return i;
    }
    return -1;
}

int GatewaySim::indexOfUid(int uid) const
{
    for (int i = 0; i < m_backends.size(); ++i) {
        if (m_backends[i].uid == uid)
            return i;
    }
    return -1;
}

SimBackend GatewaySim::makeBackend()
{
    SimBackend b;
    b.id = QStringLiteral("backend-%1").arg(m_nextBackendName++);
    // The simulation makes its own ids ("job-N", "worker-N", "backend-N"); they obey the
    // same rule as ids from outside, and ids given to its controls must name these.
    Q_ASSERT(IdCheck::isValidId(b.id));
    b.uid = m_nextBackendUid++;
    b.capacity = m_options.capacity;
    return b;
}

QList<BackendInfo> GatewaySim::backends() const
{
    QList<BackendInfo> out;
    out.reserve(m_backends.size());
    QHash<QStringView, qsizetype> slot; // one pass over the workers, even for big fleets
    for (const SimBackend &b : m_backends) {
        slot.insert(b.id, out.size());
        BackendInfo info;
        info.id = b.id;
        info.state = b.computeState();
        info.capacity = b.capacity;
        info.running = b.running;
        info.waiting = int(b.waiting.size());
        info.kvCacheUse = b.kvCacheUse();
        info.hitRate = b.hitRate;
        out.append(info);
    }
    for (const Worker &w : m_workers) {
        const qsizetype i = w.busy ? slot.value(w.job.lastBackend, -1) : -1;
        if (i >= 0)
            out[i].jobs.append({w.job.id, w.id, w.job.lastBackend, w.job.served});
    }
    return out;
}

QList<SimJobInfo> GatewaySim::runningJobs() const
{
    QList<SimJobInfo> out;
    for (const Worker &w : m_workers) {
        if (w.busy)
            out.append({w.job.id, w.id, w.job.lastBackend, w.job.served});
    }
    return out;
}

qsizetype GatewaySim::jobCount() const
{
    qsizetype running = 0;
    for (const Worker &w : m_workers)
        running += w.busy ? 1 : 0;
    return running + qsizetype(m_queue.size());
}

bool GatewaySim::takeOffline(const QString &backendId)
{
    const int index = indexOf(backendId);
    if (index < 0)
        return false;
    SimBackend &b = m_backends[index];
    if (!b.offline) {
        qCInfo(lcSim).noquote() << backendId << "taken offline at t =" << m_now;
        b.offline = true;
        b.reset();
    }
    announceState(index);
    return true;
}

bool GatewaySim::saturate(const QString &backendId)
{
    const int index = indexOf(backendId);
    if (index < 0)
        return false;
    qCInfo(lcSim).noquote() << backendId << "saturated by hand at t =" << m_now;
    m_backends[index].manualSaturated = true;
    announceState(index);
    return true;
}

bool GatewaySim::bringOnline(const QString &backendId)
{
    const int index = indexOf(backendId);
    if (index < 0)
        return false;
    SimBackend &b = m_backends[index];
    b.offline = false;
    b.manualSaturated = false;
    b.kvExternal = 0;
    updateOverload(b);
    announceState(index);
    return true;
}

QString GatewaySim::addBackend()
{
    m_backends.append(makeBackend());
    const QString id = m_backends.last().id;
    qCInfo(lcSim).noquote() << id << "added at t =" << m_now;
    emit backendAdded(id);
    return id;
}

bool GatewaySim::removeBackend(const QString &backendId)
{
    const int index = indexOf(backendId);
    if (index < 0)
        return false;
    // Its pending completions carry a uid no backend has any more, so they are ignored.
    m_backends.removeAt(index);
    qCInfo(lcSim).noquote() << backendId << "removed at t =" << m_now;
    emit backendRemoved(backendId);
    return true;
}

bool GatewaySim::setCapacity(const QString &backendId, int capacity)
{
    const int index = indexOf(backendId);
    if (index < 0)
        return false;
    SimBackend &b = m_backends[index];
    b.capacity = std::max(1, capacity);
    while (b.running < b.capacity && !b.waiting.empty()) {
        const SimBackend::Pending next = b.waiting.front();
        b.waiting.pop_front();
        startService(b, next);
    }
    updateOverload(b);
    announceState(index);
    return true;
}

void GatewaySim::setPaused(bool paused)
{
    if (m_paused == paused)
        return;
    m_paused = paused;
    emit pausedChanged();
}

void GatewaySim::setSpeed(double speed)
{
    speed = std::clamp(speed, 0.0, 1000.0);
    if (m_speed == speed)
        return;
    m_speed = speed;
    emit speedChanged();
}

bool GatewaySim::runScenario(const QString &name, const QString &backendId)
{
    const auto kind = Scenario::fromName(name);
    if (!kind || m_backends.isEmpty() || (!backendId.isEmpty() && indexOf(backendId) < 0))
        return false;
    QString target = backendId;
    if (target.isEmpty()) {
        // The busiest backend, so the preset visibly moves jobs; ties go to the first.
        qsizetype most = -1;
        for (const BackendInfo &b : backends()) {
            if (b.jobs.size() > most) {
                most = b.jobs.size();
                target = b.id;
            }
        }
    }
    stopScenario();

    QStringList ids;
    for (const SimBackend &b : std::as_const(m_backends))
        ids.append(b.id);
    m_scenarioSteps = Scenario::steps(*kind, ids, target, m_options.scenario);
    m_scenarioName = Scenario::name(*kind);
    m_scenarioLeft = int(m_scenarioSteps.size());
    m_scenarioTouched.clear();
    ++m_scenarioGeneration;
    for (int i = 0; i < m_scenarioSteps.size(); ++i)
        schedule(m_now + m_scenarioSteps[i].at, Due::ScenarioStep, i, m_scenarioGeneration);
    qCInfo(lcSim).noquote() << "scenario" << m_scenarioName << "started at t =" << m_now;
    const QString started = m_scenarioName;
    emit scenarioStarted(started);
    emit scenarioChanged();
    return true;
}

void GatewaySim::stopScenario()
{
    if (m_scenarioName.isEmpty())
        return;
    ++m_scenarioGeneration; // its remaining steps are ignored when they come due
    const QString name = m_scenarioName;
    m_scenarioName.clear();
    m_scenarioSteps.clear();
    m_scenarioLeft = 0;
    const QStringList touched = std::exchange(m_scenarioTouched, {});
    for (const QString &id : touched)
        bringOnline(id);
    qCInfo(lcSim).noquote() << "scenario" << name << "stopped at t =" << m_now;
    emit scenarioFinished(name);
    emit scenarioChanged();
}

void GatewaySim::runScenarioStep(int index)
{
    const Scenario::Step step = m_scenarioSteps.at(index);
    const quint64 generation = m_scenarioGeneration;
    if (!m_scenarioTouched.contains(step.backendId))
        m_scenarioTouched.append(step.backendId);
    const int b = indexOf(step.backendId); // may have been removed meanwhile: skip it
    switch (step.action) {
    case Scenario::Action::Offline:
        takeOffline(step.backendId);
        break;
    case Scenario::Action::Online:
        bringOnline(step.backendId);
        break;
    case Scenario::Action::Pressure:
    case Scenario::Action::Release:
        if (b >= 0) {
            m_backends[b].kvExternal = step.action == Scenario::Action::Pressure ? 1.0 : 0.0;
            updateOverload(m_backends[b]);
            announceState(b);
        }
        break;
    }
    // A slot may have stopped or replaced the scenario while this step's signals ran.
    if (generation != m_scenarioGeneration || --m_scenarioLeft > 0)
        return;
    const QString name = std::exchange(m_scenarioName, {});
    m_scenarioSteps.clear();
    m_scenarioTouched.clear();
    qCInfo(lcSim).noquote() << "scenario" << name << "finished at t =" << m_now;
    emit scenarioFinished(name);
    emit scenarioChanged();
}
