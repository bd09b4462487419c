#include "Dashboard.h"

#include "faults/FaultInjector.h"
#include "models/ActivityHistory.h"
#include "models/BackendModel.h"
#include "models/ChangeFeed.h"
#include "models/EventLogFilter.h"
#include "models/EventLogModel.h"
#include "models/JobFilterModel.h"
#include "models/JobListModel.h"
#include "models/SwitchHistoryModel.h"
#include "session/Session.h"
#include "sim/GatewaySim.h"
#include "sim/Scenario.h"
#include "sources/EventDispatcher.h"
#include "sources/EventLine.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchSource.h"

#include <QJSEngine>
#include <QSettings>

namespace {
QPointer<Dashboard> g_instance;

QString scopeName(FaultSpec::Scope scope)
{
    switch (scope) {
    case FaultSpec::Scope::Job:
        return QStringLiteral("job");
    case FaultSpec::Scope::Worker:
        return QStringLiteral("worker");
    case FaultSpec::Scope::All:
        break;
    }
    return QStringLiteral("all");
}
} // namespace

Dashboard::Dashboard(QObject *parent)
    : QObject(parent), m_jobTable(new JobFilterModel(this)), m_backends(new BackendModel(this)),
      m_eventLog(new EventLogFilter(this)), m_history(new SwitchHistoryModel(this)),
      m_activity(new ActivityHistory(this))
{
    // Counters that scan every job refresh a few times a second, not per event.
    m_counterTimer.setInterval(250);
    connect(&m_counterTimer, &QTimer::timeout, this, &Dashboard::refreshCounters);
}

Dashboard::~Dashboard() = default;

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

void Dashboard::attach(Session *session)
{
    m_session = session;
    TrackerTable *tracker = session->tracker();
    m_jobTable->setSourceModel(session->jobs());
    m_backends->setSources(tracker, session->sim(), session->dispatcher());
    m_eventLog->setSourceModel(session->eventLog());
    m_history->setSources(session->store(), tracker);
    m_activity->follow(tracker);
    if (FaultInjector *faults = session->faults())
        connect(faults, &FaultInjector::faultsChanged, this, &Dashboard::faultsChanged);
    connect(session, &Session::healthChanged, this, &Dashboard::connectionChanged);
    if (GatewaySim *sim = session->sim()) {
        connect(sim, &GatewaySim::pausedChanged, this, &Dashboard::simulationChanged);
        connect(sim, &GatewaySim::speedChanged, this, &Dashboard::simulationChanged);
        connect(sim, &GatewaySim::scenarioChanged, this, &Dashboard::simulationChanged);
    }
    // The selected job's badges follow its state, once per frame at most.
    connect(session->feed(), &ChangeFeed::batch, this,
            [this, tracker](const QList<quint32> &changed, qsizetype) {
                const quint32 job = tracker->findJob(m_selectedJob);
                if (job != TrackerTable::None && changed.contains(job))
                    Q_EMIT selectedJobStateChanged();
            });
    m_rateClock.start();
    m_lastEvents = tracker->counters().events;
    m_counterTimer.start();
    Q_EMIT configChanged();
    Q_EMIT connectionChanged();
    Q_EMIT faultsChanged();
    Q_EMIT simulationChanged();
    refreshCounters();
}

TrackerTable *Dashboard::tracker() const
{
    return m_session ? m_session->tracker() : nullptr;
}

ChangeFeed *Dashboard::feed() const
{
    return m_session ? m_session->feed() : nullptr;
}

QString Dashboard::mode() const
{
    return m_session ? m_session->modeName() : QString();
}

QString Dashboard::modeLabel() const
{
    QString m = mode();
    if (m == QLatin1String("simulate"))
        return QStringLiteral("simulation");
    return m;
}

QString Dashboard::database() const
{
    return m_session ? m_session->databaseText() : QString();
}

QString Dashboard::connectionState() const
{
    const WatchSource *watch = m_session ? m_session->watch() : nullptr;
    if (!watch)
        return {};
    switch (watch->status().state) {
    case WatchStatus::State::Connecting:
        return QStringLiteral("connecting");
    case WatchStatus::State::Live:
        return QStringLiteral("live");
    case WatchStatus::State::Reconnecting:
        break;
    }
    return QStringLiteral("reconnecting");
}

QString Dashboard::connectionText() const
{
    const WatchSource *watch = m_session ? m_session->watch() : nullptr;
    if (!watch)
        return {};
    return watch->status().state == WatchStatus::State::Reconnecting ? watch->status().error
                                                                     : watch->status().method;
}

double Dashboard::lastReadMs() const
{
    const WatchSource *watch = m_session ? m_session->watch() : nullptr;
    return watch ? double(watch->status().lastGoodMs) : 0.0;
}

double Dashboard::retryAtMs() const
{
    const WatchSource *watch = m_session ? m_session->watch() : nullptr;
    return watch ? double(watch->status().retryAtMs) : 0.0;
}

QString Dashboard::watchedTable() const
{
    const WatchSource *watch = m_session ? m_session->watch() : nullptr;
    return watch ? watch->spec().displayName() : QString();
}

QString Dashboard::watchedColumns() const
{
    const WatchSource *watch = m_session ? m_session->watch() : nullptr;
    if (!watch)
        return {};
    const WatchStatus &status = watch->status();
    return status.columns.isEmpty() ? QString() : status.columns.join(QStringLiteral(", "));
}

QAbstractItemModel *Dashboard::jobs() const
{
    return m_session ? m_session->jobs() : nullptr;
}

void Dashboard::setSelectedJob(const QString &jobId)
{
    if (jobId == m_selectedJob)
        return;
    m_selectedJob = jobId;
    m_history->load(jobId);
    Q_EMIT selectedJobChanged();
    Q_EMIT selectedJobStateChanged();
}

QVariantMap Dashboard::selectedJobState() const
{
    const TrackerTable *t = tracker();
    const quint32 job = t ? t->findJob(m_selectedJob) : TrackerTable::None;
    if (job == TrackerTable::None)
        return {};
    const JobState &s = t->state(job);
    return {{QStringLiteral("job"), m_selectedJob},
            {QStringLiteral("worker"), t->workerId(job)},
            {QStringLiteral("current"), t->backendText(s.current)},
            {QStringLiteral("observed"), t->backendText(s.observed)},
            {QStringLiteral("cacheKey"), s.cacheKey},
            {QStringLiteral("persistState"), JobListModel::persistState(*t, job)},
            {QStringLiteral("failures"), s.consecutiveFailures},
            {QStringLiteral("totalFailures"), s.totalFailures},
            {QStringLiteral("stale"), s.stale()}};
}

int Dashboard::jobCount() const
{
    return tracker() ? int(tracker()->jobCount()) : 0;
}

int Dashboard::workerCount() const
{
    return tracker() ? int(tracker()->workers().size()) : 0;
}

qint64 Dashboard::events() const
{
    return tracker() ? qint64(tracker()->counters().events) : 0;
}

qint64 Dashboard::switches() const
{
    return tracker() ? qint64(tracker()->counters().switches) : 0;
}

qint64 Dashboard::writesOk() const
{
    return tracker() ? qint64(tracker()->counters().succeeded) : 0;
}

qint64 Dashboard::writesFailed() const
{
    return tracker() ? qint64(tracker()->counters().failed) : 0;
}

qint64 Dashboard::retriesRecovered() const
{
    return tracker() ? qint64(tracker()->counters().retriesRecovered) : 0;
}

qint64 Dashboard::badLines() const
{
    return m_session ? m_session->badLines() : 0;
}

bool Dashboard::faultsEnabled() const
{
    return m_session && m_session->faults();
}

QString Dashboard::faultsDisabledReason() const
{
    if (!m_session)
        return tr("Starting…");
    if (!m_session->faults())
        return tr("Watch mode is read-only: Stickyboard never writes to an operator's "
                  "database, so there are no writes to fail.");
    return {};
}

QVariantList Dashboard::activeFaults() const
{
    QVariantList list;
    if (!m_session || !m_session->faults())
        return list;
    for (const FaultInjector::ActiveFault &f : m_session->faults()->activeFaults())
        list.append(QVariantMap{
            {QStringLiteral("spec"), f.spec.toString()},
            {QStringLiteral("kind"), f.spec.toString().section(u',', 0, 0).section(u'=', 0, 0)},
            {QStringLiteral("scope"), scopeName(f.spec.scope)},
            {QStringLiteral("scopeId"), f.spec.scopeId},
            {QStringLiteral("remaining"), f.remaining},
            {QStringLiteral("hits"), qint64(f.hits)}});
    return list;
}

QString Dashboard::applyFault(const QString &spec)
{
    if (!faultsEnabled())
        return faultsDisabledReason();
    QString error;
    if (!m_session->applyFault(spec, &error))
        return error;
    return {};
}

QString Dashboard::failNext(const QString &jobId, int count)
{
    if (jobId.contains(u','))
        return tr("job ids with a comma cannot be named in a fault spec");
    return applyFault(QStringLiteral("fail-next=%1,job=%2").arg(std::max(1, count)).arg(jobId));
}

void Dashboard::clearFaults()
{
    applyFault(QStringLiteral("clear"));
}

bool Dashboard::setBackendState(const QString &backendId, const QString &state)
{
    if (!m_session)
        return false;
    if (GatewaySim *sim = m_session->sim()) {
        if (state == QLatin1String("offline"))
            return sim->takeOffline(backendId);
        if (state == QLatin1String("saturated"))
            return sim->saturate(backendId);
        if (state == QLatin1String("online"))
            return sim->bringOnline(backendId);
        return false;
    }
    // No simulation to change: record the operator's word like a backend line.
    if (!EventLine::isBackendState(state))
        return false;
    m_session->dispatcher()->dispatch(EventLine::backendLine(backendId, state));
    return true;
}

bool Dashboard::hasSimulation() const
{
    return m_session && m_session->sim();
}

bool Dashboard::isPaused() const
{
    return hasSimulation() && m_session->sim()->isPaused();
}

void Dashboard::setPaused(bool paused)
{
    if (hasSimulation())
        m_session->sim()->setPaused(paused);
}

double Dashboard::speed() const
{
    return hasSimulation() ? m_session->sim()->speed() : 1.0;
}

void Dashboard::setSpeed(double speed)
{
    if (hasSimulation())
        m_session->sim()->setSpeed(speed);
}

QString Dashboard::scenario() const
{
    return hasSimulation() ? m_session->sim()->scenario() : QString();
}

QVariantList Dashboard::scenarios() const
{
    return {QVariantMap{{QStringLiteral("name"), QStringLiteral("rolling-restart")},
                        {QStringLiteral("label"), tr("Rolling restart")}},
            QVariantMap{{QStringLiteral("name"), QStringLiteral("one-saturates")},
                        {QStringLiteral("label"), tr("One backend saturates")}},
            QVariantMap{{QStringLiteral("name"), QStringLiteral("flapping")},
                        {QStringLiteral("label"), tr("Flapping backend")}}};
}

quint32 Dashboard::seed() const
{
    return hasSimulation() ? m_session->sim()->options().seed : 0;
}

bool Dashboard::runScenario(const QString &name)
{
    return hasSimulation() && m_session->sim()->runScenario(name);
}

void Dashboard::stopScenario()
{
    if (hasSimulation())
        m_session->sim()->stopScenario();
}

QString Dashboard::ingest(const QString &jsonLine)
{
    if (!m_session)
        return tr("not started yet");
    QString error;
    if (!m_session->ingest(jsonLine.toUtf8(), &error))
        return error;
    return {};
}

QVariant Dashboard::setting(const QString &key, const QVariant &fallback) const
{
    return QSettings().value(QStringLiteral("ui/") + key, fallback);
}

void Dashboard::setSetting(const QString &key, const QVariant &value)
{
    QSettings().setValue(QStringLiteral("ui/") + key, value);
}

void Dashboard::refreshCounters()
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
    Q_EMIT countersChanged();
    // Hit counts change on every write in scope; the injector only announces set changes.
    if (FaultInjector *faults = m_session->faults()) {
        quint64 hits = 0;
        for (const FaultInjector::ActiveFault &f : faults->activeFaults())
            hits += f.hits;
        if (hits != m_faultHits) {
            m_faultHits = hits;
            Q_EMIT faultsChanged();
        }
    }
}
