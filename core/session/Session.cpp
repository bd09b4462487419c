#include "session/Session.h"

#include "faults/FaultInjector.h"
#include "history/HistoryStore.h"
#include "models/ChangeFeed.h"
#include "models/EventLogModel.h"
#include "models/JobListModel.h"
#include "observe/ObservationIntake.h"
#include "report/Report.h"
#include "session/LongTimer.h"
#include "sim/GatewaySim.h"
#include "sources/EventDispatcher.h"
#include "sources/RecordWriter.h"
#include "sources/ReplaySource.h"
#include "sources/SimSource.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"
#include "watch/ReadOnlyTarget.h"
#include "watch/WatchSource.h"

#include <QDateTime>
#include <QException>
#include <QTimer>

#include <algorithm>

Session::Session(const Options &options, const DbUrl &url, QObject *parent)
    : QObject(parent), m_options(options), m_url(url), m_mode(options.mode)
{
    if (m_mode == Mode::Watch) {
        // No store and no faults: the watched database belongs to the operator.
        m_readOnly = std::make_unique<ReadOnlyTarget>();
        m_tracker = std::make_unique<TrackerTable>(m_readOnly.get());
    } else {
        m_store = std::make_unique<JobStore>(m_url);
        m_faults = std::make_unique<FaultInjector>(m_store.get(), m_options.seed + 1);
        m_tracker = std::make_unique<TrackerTable>(m_faults.get());
    }
    TrackerTable::Options limits = m_tracker->options();
    limits.maxJobs = m_options.maxJobs;
    limits.maxBackends = m_options.maxBackends;
    if (m_mode == Mode::Simulate) { // the simulation's own ids are no outside input
        limits.maxJobs = std::max<qint64>(limits.maxJobs, m_options.jobs);
        limits.maxBackends = std::max<qint64>(limits.maxBackends, m_options.backends);
    }
    if (m_mode == Mode::Watch)
        limits.staleAfterMs = qint64(m_options.staleAfterS * 1000.0);
    m_tracker->setOptions(limits);
    m_feed = std::make_unique<ChangeFeed>(m_tracker.get());
    m_jobs = std::make_unique<JobListModel>(m_feed.get());
    m_eventLog = std::make_unique<EventLogModel>();
    m_eventLog->follow(m_tracker.get());
    m_dispatcher = std::make_unique<EventDispatcher>(m_tracker.get(), m_faults.get());
    m_dispatcher->setObserveOnly(m_mode == Mode::Watch);
    if (m_mode == Mode::Watch)
        prepareObservations();
    connect(m_dispatcher.get(), &EventDispatcher::backendStateChanged, this,
            [this](const QString &backend, const QString &state) {
                if (m_store)
                    m_store->setBackendState(backend, state);
                EventLogModel::Entry e;
                e.timeMs = QDateTime::currentMSecsSinceEpoch();
                e.kind = EventLogModel::Kind::Backend;
                e.to = backend;
                e.message = QStringLiteral("%1 is %2").arg(backend, state);
                m_eventLog->append(std::move(e));
            });
}

Session::~Session()
{
    // The source may still emit while being torn down; stop it before what it feeds goes.
    if (m_source)
        m_source->stop();
    m_watch = nullptr;
    m_source.reset();
}

QString Session::modeName() const
{
    switch (m_mode) {
    case Mode::Replay:
        return QStringLiteral("replay");
    case Mode::Ingest:
        return QStringLiteral("ingest");
    case Mode::Watch:
        return QStringLiteral("watch");
    case Mode::Simulate:
        break;
    }
    return QStringLiteral("simulate");
}

qint64 Session::badLines() const
{
    return (m_source ? m_source->badLines() : 0) + m_ingestBadLines +
           (m_observations ? m_observations->badLines() : 0);
}

bool Session::prepareSource(QString *error)
{
    if (!m_options.record.isEmpty()) {
        m_recorder = std::make_unique<RecordWriter>(m_options.record);
        if (!m_recorder->open(error))
            return false;
        m_recorder->attach(m_dispatcher.get());
    }
    if (m_mode == Mode::Watch) {
        if (!prepareWatch(error))
            return false;
    } else if (m_mode == Mode::Replay) {
        auto replay = std::make_unique<ReplaySource>(m_options.replay);
        if (!replay->open(error))
            return false;
        replay->setSpeed(m_options.speed);
        replay->setTracker(m_tracker.get());
        m_source = std::move(replay);
    } else if (m_mode == Mode::Simulate) {
        GatewaySim::Options options;
        options.jobs = m_options.jobs;
        options.workers = std::min(m_options.workers, m_options.jobs);
        options.backends = m_options.backends;
        options.rate = m_options.rate;
        options.seed = m_options.seed;
        m_sim = std::make_unique<GatewaySim>(options);
        connect(m_sim.get(), &GatewaySim::jobStarted, this,
                [this](const QString &job, const QString &) { Q_EMIT jobStarted(job); });
        connect(m_sim.get(), &GatewaySim::jobFinished, this,
                [this](const QString &job, const QString &) { Q_EMIT jobFinished(job); });
        auto sim = std::make_unique<SimSource>(m_sim.get(), m_tracker.get());
        // One clock in the record: faults and ingested lines carry simulated time too (even
        // a posted line with a wall-clock ts), so --speed 1 replays the run at its own pace.
        if (m_recorder)
            m_recorder->setClock([source = sim.get()] { return source->now(); }, true);
        if (m_options.durationS > 0) {
            // Simulated seconds: the same seed and duration give the same run and record.
            m_sim->setTimeLimit(m_options.durationS);
            sim->setFinite(true);
        }
        m_source = std::move(sim);
    }
    if (!m_source)
        return true; // ingest: lines arrive through ingest()
    m_dispatcher->attach(m_source.get());
    connect(m_source.get(), &EventSource::finished, this, &Session::sourceFinished);
    connect(m_source.get(), &EventSource::readError, this,
            [](const QString &message) { qWarning().noquote() << message; });
    return true;
}

bool Session::prepareWatch(QString *)
{
    auto watch = std::make_unique<WatchSource>(m_url, m_options.watch);
    m_watch = watch.get();
    connect(m_watch, &WatchSource::snapshotReady, this, [this](const WatchRows &rows) {
        for (const WatchRow &row : rows)
            m_tracker->addJob(row.job, row.worker, row.backend);
        restoreHistory();
    });
    connect(m_watch, &WatchSource::startFailed, this,
            [this](const QString &message) { Q_EMIT failed(message, 3); });
    connect(m_watch, &WatchSource::statusChanged, this, &Session::healthChanged);
    m_source = std::move(watch);
    return true;
}

void Session::prepareObservations()
{
    m_observations = std::make_unique<ObservationIntake>(m_tracker.get());
    // CommandLine has checked the map; an unchecked one (tests) falls back to event lines.
    const ObservationMap map =
        ObservationMap::parse(m_options.observeMap, nullptr).value_or(ObservationMap::eventLines());
    if (!m_options.observeMap.isEmpty())
        m_observations->setLiteLlmMap(map);
    for (const QString &path : std::as_const(m_options.observeFiles))
        m_observations->addFile(path, map, m_options.observeFromStart);
    if (m_options.history != QLatin1String("none"))
        m_history = std::make_unique<HistoryStore>(
            m_options.history.isEmpty() ? HistoryStore::defaultPath() : m_options.history,
            m_options.historyDays,
            m_url.redacted() + QLatin1Char(' ') + m_options.watch.displayName());
}

void Session::restoreHistory()
{
    if (!m_history) {
        loaded();
        return;
    }
    m_history->open().then(this, [this](const HistoryStore::Opened &opened) {
        if (!opened.error.isEmpty()) {
            Q_EMIT failed(QStringLiteral("--history: %1").arg(opened.error), 2);
            return;
        }
        // Followed first, so a period that ended meanwhile is closed in the file.
        m_history->follow(m_tracker.get());
        for (const HistoryStore::OpenStale &o : opened.open)
            m_tracker->restoreObservation(o.job, o.worker, o.observed, o.cacheKey, o.observedAtMs,
                                          o.sinceMs);
        loaded();
    });
}

void Session::start()
{
    // Every outcome arrives from the event loop, never before start() returns: a caller may
    // connect, then start(), then enter exec() (a future that settled early would otherwise
    // run its continuation, and emit, right here).
    QMetaObject::invokeMethod(this, &Session::startNow, Qt::QueuedConnection);
}

void Session::startNow()
{
    QString error;
    if (!prepareSource(&error)) {
        Q_EMIT failed(error, 2);
        return;
    }
    if (m_mode == Mode::Watch) {
        m_source->start(); // its first full read arrives as snapshotReady()
        return;
    }
    const auto fail = [this](const QException &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()), 3);
    };
    m_store->open()
        .then(this,
              [this, fail] {
                  m_store->loadSnapshot()
                      .then(this,
                            [this](const StoreSnapshot &snapshot) {
                                for (const StoreSnapshot::Job &job : snapshot.jobs)
                                    m_tracker->addJob(job.id, job.worker, job.backend);
                                loaded();
                            })
                      .onFailed(this, fail);
              })
        .onFailed(this, fail);
}

void Session::loaded()
{
    if (m_stopping)
        return; // stopped while the database was still being reached: it stays unstarted
    for (const QString &spec : std::as_const(m_options.faults)) {
        QString error;
        applyFault(spec, &error); // validated by CommandLine already
    }
    m_started = true;
    if (m_source && m_mode != Mode::Watch)
        m_source->start();
    if (QString error; m_observations && !m_observations->start(&error)) {
        Q_EMIT failed(error, 2);
        return;
    }
    if (m_mode == Mode::Watch && m_options.durationS > 0) {
        // Watch time is wall-clock time: the table changes at the operators' pace. Chained,
        // so a duration of years neither overflows nor fires at once.
        m_durationTimer = new LongTimer(this);
        connect(m_durationTimer, &LongTimer::timeout, this, &Session::sourceFinished);
        m_durationTimer->start(m_options.durationS);
    }
    Q_EMIT ready();
}

QFuture<Report> Session::collectReport()
{
    if (!m_watch)
        return Report::collect(modeName(), m_tracker.get(), m_store.get(), badLines());
    // Reading for a report changes nothing: GET /api/jobs shows the trackers beside the
    // table as it is now, even when they trail it by a poll. Only the report at shutdown,
    // read after the source stopped (so no line can follow and count a change again),
    // applies what the watch had not delivered yet, so it ends with current == db.
    const bool last = m_stopping;
    return m_watch->readTable().then(this, [this, last](const WatchSource::TableRead &table) {
        for (const WatchRow &row : table.rows) {
            if (!last || row.backend.isEmpty()) // NULL: not resolved yet, no event
                continue;
            const quint32 job = m_tracker->findJob(row.job);
            if (job == TrackerTable::None || m_tracker->preferredBackend(job) != row.backend)
                m_tracker->observePersisted(row.job, row.worker, row.backend);
        }
        return Report::build(modeName(), *m_tracker, table.backends, badLines());
    });
}

QString Session::healthProblem() const
{
    return m_watch ? m_watch->problem() : QString();
}

bool Session::applyFault(const QString &spec, QString *error)
{
    if (!m_faults) {
        *error = QStringLiteral("fault injection is off in watch mode: Stickyboard never "
                                "writes to the watched database");
        return false;
    }
    if (m_stopping) {
        *error = QStringLiteral("shutting down: no more faults are applied");
        return false;
    }
    const std::optional<FaultSpec> fault = FaultSpec::parse(spec, error);
    if (!fault)
        return false;
    // Through the dispatcher, so the recorder and the event log see it like a fault line.
    m_dispatcher->dispatch(EventLine::faultLine(*fault));
    EventLogModel::Entry e;
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.kind = EventLogModel::Kind::Fault;
    e.message = QStringLiteral("fault %1").arg(fault->toString());
    m_eventLog->append(std::move(e));
    return true;
}

bool Session::ingest(const QByteArray &bytes, QString *error)
{
    if (m_mode == Mode::Watch) {
        *error = QStringLiteral("watch mode is read-only: events come from the watched table");
        return false;
    }
    if (m_stopping) {
        // After the sources stopped nothing may change what the report is about to read.
        *error = QStringLiteral("shutting down: no more events are accepted");
        return false;
    }
    const std::optional<EventLine> line = EventLine::parse(bytes, error);
    if (!line) {
        ++m_ingestBadLines; // counted like a bad line of a file: in the report and /metrics
        return false;
    }
    if (!m_dispatcher->dispatch(*line, error)) {
        ++m_ingestBadLines; // past --max-jobs / --max-backends: refused like a bad line
        return false;
    }
    return true;
}
