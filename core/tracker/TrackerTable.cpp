#include "tracker/TrackerTable.h"

#include "util/Escape.h"
#include "util/Logging.h"

#include <QDateTime>
#include <QException>

#include <algorithm>

TrackerTable::TrackerTable(PersistTarget *target, QObject *parent)
    : TrackerTable(target, Options{}, parent)
{}

TrackerTable::TrackerTable(PersistTarget *target, Options options, QObject *parent)
    : QObject(parent), m_target(target), m_options(options)
{
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &TrackerTable::runDueRetries);
    connect(&m_staleness, &Staleness::becameStale, this, &TrackerTable::announceStale);
    setOptions(options);
}

void TrackerTable::setOptions(const Options &options)
{
    m_options = options;
    if (options.staleAfterMs >= 0)
        m_staleness.setGraceMs(options.staleAfterMs);
}

quint32 TrackerTable::addJob(const QString &jobId, const QString &workerId,
                             const QString &persistedBackend)
{
    const quint32 job = ensureJob(jobId, workerId);
    JobState &s = m_jobs[job];
    if (s.current == None && s.inflight == None && !persistedBackend.isEmpty()) {
        s.current = m_backends.intern(persistedBackend);
        syncHot(job, s);
    }
    return job;
}

quint32 TrackerTable::ensureJob(const QString &jobId, const QString &workerId)
{
    const auto it = m_jobIndex.constFind(jobId);
    if (it != m_jobIndex.constEnd()) {
        JobState &s = m_jobs[*it];
        if (!workerId.isEmpty()) {
            const quint32 worker = m_workers.intern(workerId);
            if (s.worker != worker) {
                s.worker = worker;
                markChanged(*it, s);
            }
        }
        return *it;
    }
    const auto job = quint32(m_jobs.size());
    JobState s;
    if (!workerId.isEmpty())
        s.worker = m_workers.intern(workerId);
    m_jobs.append(std::move(s));
    m_hot.push_back({});
    m_jobIds.append(jobId);
    m_jobIndex.insert(jobId, job);
    markChanged(job, m_jobs[job]);
    return job;
}

bool TrackerTable::admits(const QString &jobId, const QString &backendId, QString *error) const
{
    const auto refuse = [error](const char *what, const QString &id, qsizetype limit,
                                const char *option) {
        if (error)
            *error = QStringLiteral("%1 limit reached: new %1 '%2' refused (%3 %4)")
                         .arg(QLatin1String(what), id.left(64), QLatin1String(option))
                         .arg(limit);
        return false;
    };
    if (!jobId.isEmpty() && m_jobs.size() >= m_options.maxJobs && !m_jobIndex.contains(jobId))
        return refuse("job", jobId, m_options.maxJobs, "--max-jobs");
    if (!backendId.isEmpty() && m_backends.size() >= m_options.maxBackends &&
        m_backends.find(backendId) == None)
        return refuse("backend", backendId, m_options.maxBackends, "--max-backends");
    return true;
}

void TrackerTable::onEvent(const QString &jobId, const QString &workerId, const QString &backendId,
                           const QString &cacheKey)
{
    onEvent(ensureJob(jobId, workerId), m_backends.intern(backendId), cacheKey);
}

void TrackerTable::observePersisted(const QString &jobId, const QString &workerId,
                                    const QString &backendId)
{
    ++m_counters.events;
    const quint32 job = ensureJob(jobId, workerId);
    const quint32 backend = m_backends.intern(backendId);
    JobState &s = m_jobs[job];
    Q_ASSERT(s.inflight == None); // nothing writes in watch mode
    const quint32 previous = s.current;
    // Once the gateway has been heard for this job, `observed` is what it said: the table
    // only moves `current`.
    const bool gateway = s.flags & JobState::Observed;
    if (previous == backend && (gateway || s.observed == backend))
        return;
    if (!gateway) {
        s.observed = backend;
        s.cacheKey = QString();
    }
    if (previous != backend) {
        s.current = backend;
        s.lastSwitchMs = QDateTime::currentMSecsSinceEpoch();
        if (previous != None)
            ++m_counters.switches;
    }
    markChanged(job, s);
    syncHot(job, s);
    if (previous != backend) {
        qCInfo(lcTracker).noquote() << Escape::text(
            QStringLiteral("[worker:%1] job %2 backend %3 in the database: %4")
                .arg(workerId, jobId,
                     previous == None ? QStringLiteral("set") : QStringLiteral("switched"),
                     backendId));
        Q_EMIT persisted(job, previous, backend, QString());
    }
    if (gateway) // after the switch is announced; slots may have moved m_jobs
        updateStaleness(job, m_jobs[job]);
}

void TrackerTable::onEventSlow(quint32 job, quint32 backend, const QString &cacheKey)
{
    JobState &s = m_jobs[job];
    if (s.observed != backend || !sameKey(s.cacheKey, cacheKey)) {
        s.observed = backend;
        s.cacheKey = cacheKey;
        markChanged(job, s);
        syncHot(job, s);
    }
    if (s.inflight != None) {
        s.flags |= JobState::EventWhileInFlight;
        return;
    }
    if (backend != s.current)
        startWrite(job, s, backend);
}

void TrackerTable::startWrite(quint32 job, JobState &s, quint32 backend)
{
    s.inflight = backend;
    syncHot(job, s);
    s.flags &= ~(JobState::EventWhileInFlight | JobState::RetryScheduled);
    markChanged(job, s);
    ++m_inFlight;
    ++m_counters.attempted;
    m_outgoing.append(PersistWrite{m_jobIds.at(job), m_workers.text(s.worker),
                                   m_backends.text(s.current), m_backends.text(backend), s.cacheKey,
                                   QDateTime::currentMSecsSinceEpoch()});
    m_outgoingJobs.append(job);
    if (m_outgoing.size() >= m_options.maxBatch)
        flush();
    else
        scheduleFlush();
}

void TrackerTable::scheduleFlush()
{
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &TrackerTable::flush, Qt::QueuedConnection);
}

void TrackerTable::flush()
{
    m_flushScheduled = false;
    if (m_outgoing.isEmpty())
        return;
    QList<PersistWrite> writes = std::exchange(m_outgoing, {});
    QList<quint32> jobs = std::exchange(m_outgoingJobs, {});
    Q_ASSERT(m_target);
    QFuture<PersistResults> future = m_target->persist(writes);
    auto settleAll = [this, writes, jobs](const PersistResults &results, const QString &failure) {
        for (qsizetype i = 0; i < jobs.size(); ++i) {
            const PersistOutcome outcome =
                failure.isEmpty() ? results.at(i) : PersistOutcome{false, failure};
            settle(jobs.at(i), writes.at(i), outcome);
        }
        if (m_inFlight == 0 && m_outgoing.isEmpty())
            Q_EMIT settled();
    };
    future
        .then(this,
              [settleAll, count = writes.size()](const QFuture<PersistResults> &done) {
                  PersistResults results;
                  QString failure;
                  try {
                      results = done.result();
                  } catch (const QException &e) {
                      failure = QString::fromLocal8Bit(e.what());
                  } catch (const std::exception &e) {
                      failure = QString::fromLocal8Bit(e.what());
                  } catch (...) {
                      failure = QStringLiteral("unknown error");
                  }
                  if (failure.isEmpty() && results.size() != count)
                      failure = QStringLiteral("persist returned %1 outcomes for %2 writes")
                                    .arg(results.size())
                                    .arg(count);
                  settleAll(results, failure);
              })
        // A canceled future never reaches then(): without this the jobs would stay
        // "saving" forever and never retry.
        .onCanceled(this, [settleAll] {
            settleAll({}, QStringLiteral("the write was canceled before it settled"));
        });
}

void TrackerTable::settle(quint32 job, const PersistWrite &write, const PersistOutcome &outcome)
{
    JobState &s = m_jobs[job];
    const quint32 target = s.inflight;
    const quint32 previous = s.current;
    s.inflight = None;
    --m_inFlight;
    markChanged(job, s);
    syncHot(job, s);

    if (outcome.ok) {
        // Only now may memory advance: the database holds `target`.
        s.current = target;
        syncHot(job, s);
        if (s.consecutiveFailures > 0)
            m_failingSince.remove(job);
        s.consecutiveFailures = 0;
        s.lastSwitchMs = write.atMs;
        ++m_counters.succeeded;
        if (previous != None)
            ++m_counters.switches;
        if (s.flags & JobState::FailedSinceSuccess) {
            ++m_counters.retriesRecovered;
            s.flags &= ~JobState::FailedSinceSuccess;
        }
        const QString cache = write.cacheKey.isNull() ? QStringLiteral("miss") : write.cacheKey;
        if (previous == None)
            qCInfo(lcTracker).noquote()
                << Escape::text(QStringLiteral("[worker:%1] job %2 backend resolved: %3 cache=%4")
                                    .arg(write.workerId, write.jobId, write.toBackend, cache));
        else
            qCInfo(lcTracker).noquote() << Escape::text(
                QStringLiteral("[worker:%1] job %2 backend switched: %3 → %4 cache=%5")
                    .arg(write.workerId, write.jobId, write.fromBackend, write.toBackend, cache));
        Q_EMIT persisted(job, previous, target, write.cacheKey);
    } else {
        // Keep the old value: the database still holds it, and the next event retries.
        if (s.consecutiveFailures == 0)
            m_failingSince.insert(job, QDateTime::currentMSecsSinceEpoch());
        ++s.consecutiveFailures;
        ++s.totalFailures;
        s.flags |= JobState::FailedSinceSuccess;
        ++m_counters.failed;
        qCWarning(lcTracker).noquote() << Escape::text(
            QStringLiteral("[worker:%1] failed to persist last_backend_id for job %2: %3 — "
                           "keeping %4 for retry")
                .arg(write.workerId, write.jobId, outcome.error,
                     previous == None ? QStringLiteral("unset") : m_backends.text(previous)));
        Q_EMIT persistFailed(job, previous, target, outcome.error);
    }

    // Slots may have added jobs (m_jobs may have moved: `s` can dangle) or already started
    // this job's next write: look the state up again.
    JobState &now = m_jobs[job];
    if (now.flags & JobState::EventWhileInFlight) {
        // Coalesced events: write the newest backend seen meanwhile, if it still differs.
        now.flags &= ~JobState::EventWhileInFlight;
        if (now.observed != now.current) {
            startWrite(job, now, now.observed);
            return;
        }
    }
    if (!outcome.ok && m_options.retry == RetryPolicy::Backoff && !now.saving() && now.stale())
        scheduleRetry(job, now);
}

void TrackerTable::scheduleRetry(quint32 job, JobState &s)
{
    const int exponent = int(std::min<quint32>(s.consecutiveFailures - 1, 20));
    const qint64 delay =
        std::min<qint64>(qint64(m_options.backoffBaseMs) << exponent, m_options.backoffCapMs);
    s.retryDueMs = QDateTime::currentMSecsSinceEpoch() + delay;
    s.flags |= JobState::RetryScheduled;
    m_retryQueue.emplace(s.retryDueMs, job);
    if (!m_retryTimer.isActive() || m_retryQueue.begin()->first == s.retryDueMs)
        m_retryTimer.start(int(std::max<qint64>(0, m_retryQueue.begin()->first -
                                                       QDateTime::currentMSecsSinceEpoch())));
}

void TrackerTable::runDueRetries()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    while (!m_retryQueue.empty() && m_retryQueue.begin()->first <= now) {
        const auto [due, job] = *m_retryQueue.begin();
        m_retryQueue.erase(m_retryQueue.begin());
        JobState &s = m_jobs[job];
        // An event may have retried already (startWrite clears the flag), or rescheduled.
        if (!(s.flags & JobState::RetryScheduled) || s.retryDueMs != due)
            continue;
        s.flags &= ~JobState::RetryScheduled;
        if (s.inflight == None && s.stale())
            startWrite(job, s, s.observed);
    }
    if (!m_retryQueue.empty())
        m_retryTimer.start(int(std::max<qint64>(0, m_retryQueue.begin()->first - now)));
}

qsizetype TrackerTable::retryPendingCount() const
{
    return std::count_if(m_jobs.cbegin(), m_jobs.cend(),
                         [](const JobState &s) { return s.retryPending(); });
}

qint64 TrackerTable::oldestRetryPendingSinceMs() const
{
    qint64 oldest = 0;
    for (auto it = m_failingSince.cbegin(); it != m_failingSince.cend(); ++it) {
        if (m_jobs.at(it.key()).retryPending() && (oldest == 0 || it.value() < oldest))
            oldest = it.value();
    }
    return oldest;
}

qsizetype TrackerTable::staleCount() const
{
    if (m_options.staleAfterMs >= 0)
        return m_staleness.staleCount(m_staleness.now());
    return std::count_if(m_jobs.cbegin(), m_jobs.cend(),
                         [](const JobState &s) { return s.stale(); });
}

void TrackerTable::scheduleChangeSignal()
{
    m_changeSignalScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_changeSignalScheduled = false;
            if (!m_changed.isEmpty())
                Q_EMIT jobsChanged();
        },
        Qt::QueuedConnection);
}

QList<quint32> TrackerTable::takeChangedJobs()
{
    QList<quint32> changed = std::exchange(m_changed, {});
    for (const quint32 job : std::as_const(changed))
        m_jobs[job].flags &= ~JobState::Changed;
    return changed;
}
