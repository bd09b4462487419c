#include "sim/GatewaySim.h"

#include <algorithm>

#include "sim/SimHash.h"
#include "util/Logging.h"

#include <QScopedValueRollback>

#include <tuple>

#include <climits>
#include <cmath>

namespace {
// A conversation's context grows with each turn, and so does the KV cache its requests
// hold. A request of a job at full context takes 1/capacity of the cache: capacity is how
// many such requests fit, so KV pressure alone saturates a backend only when it is nearly
// full of long conversations, not under normal load.
constexpr double ContextStart = 0.3;
constexpr double ContextGrowth = 0.01;
constexpr double ContextCap = 1.0;
// Hit rate is an average over about the last 1/MinAlpha requests.
constexpr double MinAlpha = 0.02;
// Strictly later than now, so a handler can never schedule itself into an endless loop.
constexpr double MinDelay = 1e-6;
} // namespace

GatewaySim::GatewaySim(QObject *parent) : GatewaySim(Options{}, parent) {}

GatewaySim::GatewaySim(Options options, QObject *parent)
    : QObject(parent), m_options(options), m_rng(options.seed)
{
    m_options.jobs = std::max(0, m_options.jobs);
    m_options.workers = std::max(0, m_options.workers);
    m_options.rate = std::max(1e-3, m_options.rate);
    m_options.capacity = std::max(1, m_options.capacity);
    m_options.meanRequests = std::max(1.0, m_options.meanRequests);
    m_options.tickMs = std::max(1, m_options.tickMs);
    m_options.rampSeconds = std::max(0.0, m_options.rampSeconds);

    for (int b = 0; b < m_options.backends; ++b)
        m_backends.append(makeBackend());
    for (int j = 0; j < m_options.jobs; ++j)
        m_queue.push_back(QStringLiteral("job-%1").arg(m_nextJobName++));
    for (int w = 0; w < m_options.workers; ++w)
        m_workers.append(Worker{QStringLiteral("worker-%1").arg(w), false, {}});

    m_timer.setInterval(m_options.tickMs);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        double dt = m_options.tickMs / 1000.0 * m_speed;
        if (m_timeLimit > 0)
            dt = std::min(dt, std::max(0.0, m_timeLimit - m_now));
        advance(dt);
        // Paused time does not count: the limit is on simulated seconds.
        if (m_timeLimit > 0 && m_now >= m_timeLimit && !m_paused) {
            m_timer.stop();
            Q_EMIT timeLimitReached();
        }
    });
}

void GatewaySim::start()
{
    m_timer.start();
}

void GatewaySim::stop()
{
    m_timer.stop();
}

void GatewaySim::advance(double dtSeconds)
{
    // A slot that calls advance() from inside a signal would run events out of order.
    if (m_paused || m_inAdvance || !(dtSeconds >= 0))
        return;
    const QScopedValueRollback guard(m_inAdvance, true);
    if (!m_started) {
        m_started = true;
        // A fleet comes up over a few seconds; all first requests (misses, slow) at once
        // would be a thundering herd that saturates backends no real start-up does.
        for (int w = 0; w < m_workers.size(); ++w)
            startNextJob(w, m_options.rampSeconds);
    }
    const double until = m_now + dtSeconds;
    while (!m_due.empty() && m_due.top().at <= until) {
        const Timed t = m_due.top();
        m_due.pop();
        m_now = t.at;
        handle(t);
    }
    m_now = until;
}

void GatewaySim::schedule(double at, Due kind, int a, quint64 b, double kv)
{
    m_due.push(Timed{std::max(at, m_now + MinDelay), m_seq++, kind, a, b, kv});
}

void GatewaySim::handle(const Timed &t)
{
    switch (t.kind) {
    case Due::Request:
        if (t.a < m_workers.size() && m_workers[t.a].busy && m_workers[t.a].job.serial == t.b)
            sendRequest(t.a);
        break;
    case Due::Done:
        requestDone(t.a, quint32(t.b), t.kv);
        break;
    case Due::ScenarioStep:
        if (t.b == m_scenarioGeneration && t.a < m_scenarioSteps.size())
            runScenarioStep(t.a);
        break;
    }
}

void GatewaySim::startNextJob(int worker, double ramp)
{
    Worker &w = m_workers[worker];
    if (m_queue.empty()) {
        w.busy = false;
        return;
    }
    Job &job = w.job;
    job = Job{};
    job.id = m_queue.front();
    m_queue.pop_front();
    job.serial = ++m_nextJobSerial;
    // Exponential around the mean: most jobs are short, a few run long, as in a real fleet.
    const double extra = -std::log(1.0 - m_rng.next()) * (m_options.meanRequests - 1.0);
    job.requestsLeft = 1 + int(std::min(extra, double(INT_MAX / 2)));
    job.pace = m_options.rate * (0.5 + m_rng.next());
    job.context = ContextStart * (1.0 + m_rng.next());
    w.busy = true;
    scheduleNextRequest(worker, true, ramp);
    const QString jobId = job.id;
    const QString workerId = w.id;
    emit jobStarted(jobId, workerId);
}

void GatewaySim::scheduleNextRequest(int worker, bool first, double ramp)
{
    const Job &job = m_workers[worker].job;
    // The first request at a random phase, so jobs started together do not fire in step.
    const double delay =
        first ? m_rng.next() * (1.0 / job.pace + ramp) : (0.5 + m_rng.next()) / job.pace;
    schedule(m_now + delay, Due::Request, worker, job.serial);
}

void GatewaySim::sendRequest(int worker)
{
    Worker &w = m_workers[worker];
    Job &job = w.job;
    const QString jobId = job.id;
    const QString workerId = w.id;
    const QString preferred = m_preferred ? m_preferred(jobId) : job.lastBackend;
    const int index = route(jobId, preferred);
    const bool finished = --job.requestsLeft <= 0;

    QString backendId;
    QString cacheKey;
    if (index >= 0) {
        SimBackend &b = m_backends[index];
        backendId = b.id;
        // A hit needs the job's prefix in that backend's cache: honoured hint, no restart since.
        const bool hit = backendId == preferred && b.resident.contains(jobId);
        if (hit)
            cacheKey = SimHash::cacheKey(jobId, backendId, b.epoch);
        b.resident.insert(jobId);
        ++b.served;
        b.hitRate += std::max(1.0 / double(b.served), MinAlpha) * ((hit ? 1.0 : 0.0) - b.hitRate);
        ++m_counters.requests;
        m_counters.hits += hit ? 1 : 0;
        if (job.lastBackend != backendId) {
            moveSession(job.lastBackend, -1);
            b.sessions += 1;
            job.lastBackend = backendId;
        }
        ++job.served;
        const double service =
            m_options.hitSeconds * (hit ? 1.0 : m_options.missFactor) * (0.5 + m_rng.next());
        admit(b, {service, job.context / b.capacity});
        job.context = std::min(ContextCap, job.context + ContextGrowth);
    } else {
        ++m_counters.failed;
    }
    if (!finished)
        scheduleNextRequest(worker, false);

    // Signals last: a slot may take a backend down or remove it.
    if (index >= 0) {
        emit event(jobId, workerId, backendId, cacheKey);
        announceState(indexOf(backendId));
    } else {
        qCDebug(lcSim) << "request of" << jobId << "failed: every backend is offline";
        emit requestFailed(jobId, workerId);
    }
    if (!finished)
        return;

    ++m_counters.jobsFinished;
    moveSession(m_workers[worker].job.lastBackend, -1);
    for (SimBackend &b : m_backends)
        b.resident.remove(jobId);
    // The replacement queues before the worker takes the next job, so with jobs == workers
    // the worker picks up the new job at once and the job count never dips.
    m_queue.push_back(QStringLiteral("job-%1").arg(m_nextJobName++));
    m_workers[worker].busy = false;
    emit jobFinished(jobId, workerId);
    startNextJob(worker);
}

void GatewaySim::requestDone(int uid, quint32 epoch, double kv)
{
    const int index = indexOfUid(uid);
    if (index < 0 || m_backends[index].epoch != epoch)
        return; // the backend went down or away while the request ran
    SimBackend &b = m_backends[index];
    --b.running;
    b.kvRunning = b.running > 0 ? b.kvRunning - kv : 0.0; // no drift left behind when idle
    while (b.running < b.capacity && !b.waiting.empty()) {
        const SimBackend::Pending next = b.waiting.front();
        b.waiting.pop_front();
        startService(b, next);
    }
    updateOverload(b);
    announceState(index);
}

int GatewaySim::route(const QString &jobId, const QString &preferred) const
{
    const int pref = preferred.isEmpty() ? -1 : indexOf(preferred);
    if (pref >= 0 && m_backends[pref].usable())
        return pref;

    // Least loaded by sticky jobs first: a job placed here stays for its whole run, so
    // balancing on requests in flight alone (a snapshot) piles jobs up unevenly and the
    // pile saturates later. Requests in flight, then the rendezvous hash break ties.
    int best = -1;
    double bestSessions = 0;
    double bestRequests = 0;
    quint64 bestScore = 0;
    const auto consider = [&](int i) {
        const SimBackend &b = m_backends[i];
        const double sessions = b.sessionLoad();
        const double requests = b.requestLoad();
        const quint64 score = SimHash::rendezvous(jobId, b.id);
        if (best < 0 || std::tie(sessions, requests) < std::tie(bestSessions, bestRequests) ||
            (sessions == bestSessions && requests == bestRequests && score > bestScore)) {
            best = i;
            bestSessions = sessions;
            bestRequests = requests;
            bestScore = score;
        }
    };
    for (int i = 0; i < m_backends.size(); ++i) {
        if (m_backends[i].usable())
            consider(i);
    }
    if (best >= 0)
        return best;
    // Everything is busy: moving would only add a cache miss to the queueing.
    if (pref >= 0 && !m_backends[pref].offline)
        return pref;
    for (int i = 0; i < m_backends.size(); ++i) {
        if (!m_backends[i].offline)
            consider(i);
    }
    return best;
}

void GatewaySim::moveSession(const QString &backendId, int delta)
{
    if (backendId.isEmpty())
        return;
    const int index = indexOf(backendId);
    if (index >= 0)
        m_backends[index].sessions += delta;
}

void GatewaySim::admit(SimBackend &b, SimBackend::Pending p)
{
    if (b.running < b.capacity)
        startService(b, p);
    else
        b.waiting.push_back(p);
    updateOverload(b);
}

void GatewaySim::startService(SimBackend &b, SimBackend::Pending p)
{
    ++b.running;
    b.kvRunning += p.kv;
    schedule(m_now + p.serviceSeconds, Due::Done, b.uid, b.epoch, p.kv);
}

void GatewaySim::updateOverload(SimBackend &b) const
{
    b.updateOverloaded(m_options.saturateWaiting, m_options.saturateKv, m_options.kvHysteresis);
}

void GatewaySim::announceState(int index)
{
    if (index < 0)
        return;
    SimBackend &b = m_backends[index];
    const QString state = b.computeState();
    if (state == b.state)
        return;
    b.state = state;
    const QString id = b.id;
    qCDebug(lcSim).noquote() << id << "is" << state << "at t =" << m_now;
    emit backendStateChanged(id, state);
}
