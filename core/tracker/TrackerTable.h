#pragma once

#include "tracker/JobState.h"
#include "tracker/PersistTarget.h"
#include "tracker/Staleness.h"
#include "util/Interner.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QTimer>

#include <map>
#include <vector>

/*!
 * The sticky-backend tracker for many jobs at once.
 *
 * The rule: a job's in-memory backend advances only after the database write for it
 * succeeded. A failed write leaves it unchanged, so the next event retries the write.
 * At most one write per job is in flight; events that arrive meanwhile coalesce to the
 * newest backend, which is written once the in-flight write settles. Writes that become
 * due in the same turn of the event loop go to the PersistTarget as one batch.
 */
class TrackerTable : public QObject {
    Q_OBJECT
public:
    static constexpr quint32 None = JobState::None;

    enum class RetryPolicy { OnNextEvent, Backoff };

    struct Options {
        RetryPolicy retry = RetryPolicy::OnNextEvent;
        int backoffBaseMs = 500;   ///< first backoff delay
        int backoffCapMs = 60'000; ///< longest backoff delay
        int maxBatch = 4096;       ///< writes handed to the target in one call at most
        /// Bounds on what outside input can make the table hold (`--max-jobs`,
        /// `--max-backends`); admits() refuses new ids past them.
        qsizetype maxJobs = 2'000'000;
        qsizetype maxBackends = 1'000;
        /// Watch mode (`--stale-after`): observed != table counts as stale only after this
        /// long; below 0 (other modes) a job is stale as soon as they differ.
        qint64 staleAfterMs = -1;
    };

    struct Counters {
        quint64 events = 0;
        quint64 attempted = 0;
        quint64 succeeded = 0;
        quint64 failed = 0;
        quint64 switches = 0;         ///< successful writes replacing a non-null backend
        quint64 retriesRecovered = 0; ///< successful writes after a failure for that job
        quint64 observations = 0;     ///< watch mode: observations applied
        quint64 staleRecovered = 0;   ///< watch mode: stale jobs the table caught up with
    };

    explicit TrackerTable(PersistTarget *target, QObject *parent = nullptr);
    TrackerTable(PersistTarget *target, Options options, QObject *parent = nullptr);

    void setPersistTarget(PersistTarget *target) { m_target = target; }
    const Options &options() const { return m_options; }
    void setOptions(const Options &options);

    // --- ids -------------------------------------------------------------------------
    quint32 internBackend(const QString &backendId) { return m_backends.intern(backendId); }
    quint32 findBackend(const QString &backendId) const { return m_backends.find(backendId); }
    QString backendText(quint32 backend) const { return m_backends.text(backend); }
    const Interner &backends() const { return m_backends; }
    const Interner &workers() const { return m_workers; }

    /// Adds a job known to the database; `persistedBackend` (may be null) is its initial value.
    quint32 addJob(const QString &jobId, const QString &workerId, const QString &persistedBackend);
    /// The job's index, adding it (with no backend yet) when unknown.
    quint32 ensureJob(const QString &jobId, const QString &workerId = {});
    quint32 findJob(const QString &jobId) const { return m_jobIndex.value(jobId, None); }
    /// Whether an event naming these ids fits maxJobs / maxBackends: known ids always do,
    /// a new one only while fewer are known. Costs nothing below the limits. On refusal
    /// `error` names the limit and the option that sets it. An empty id is not checked.
    bool admits(const QString &jobId, const QString &backendId, QString *error) const;
    qsizetype jobCount() const { return m_jobs.size(); }
    const QString &jobId(quint32 job) const { return m_jobIds.at(job); }
    QString workerId(quint32 job) const { return m_workers.text(m_jobs.at(job).worker); }
    const JobState &state(quint32 job) const { return m_jobs.at(job); }

    /// The value the job's next request sends as `x-aao-preferred-backend` (null: none yet).
    QString preferredBackend(quint32 job) const { return m_backends.text(m_jobs.at(job).current); }

    // --- events ----------------------------------------------------------------------
    /// The job's backend was resolved to `backend` (an interned id). The hot path.
    void onEvent(quint32 job, quint32 backend, const QString &cacheKey = {})
    {
        ++m_counters.events;
        // The common case, nothing new and nothing to write, reads 16 bytes per job only:
        // with many jobs the full state would not stay in cache.
        const HotState &h = m_hot[job];
        if (h.observed == backend && h.current == backend && h.inflight == None && !h.keyed &&
            cacheKey.isNull())
            return;
        onEventSlow(job, backend, cacheKey);
    }
    /// Convenience for sources that speak strings.
    void onEvent(const QString &jobId, const QString &workerId, const QString &backendId,
                 const QString &cacheKey = {});

    /// Watch mode: the database itself was seen holding `backendId` for the job, so it is
    /// the persisted value: memory follows at once and no write is made. Counts an event,
    /// and a switch when the job had a backend before.
    void observePersisted(const QString &jobId, const QString &workerId, const QString &backendId);

    /// Watch mode: a gateway served the job on `backendId` (at `tsMs`, 0: now). Moves only
    /// the job's observed backend and cache state; never a write. Observed and table value
    /// differing starts the job's staleness clock (staleness()); in step again ends it.
    void observeServed(const QString &jobId, const QString &workerId, const QString &backendId,
                       const QString &cacheKey, qint64 tsMs = 0);
    /// Watch mode, after a restart: the job's last observation and the start of its
    /// staleness as the previous run recorded them (HistoryStore). A job already observed
    /// in this run keeps what it has. When the table has caught up meanwhile this is a
    /// recovery, with the whole duration.
    void restoreObservation(const QString &jobId, const QString &workerId, const QString &backendId,
                            const QString &cacheKey, qint64 observedAtMs, qint64 staleSinceMs);
    /// Watch mode's pending / stale clocks.
    Staleness &staleness() { return m_staleness; }
    const Staleness &staleness() const { return m_staleness; }
    /// Whether the job counts as stale now: past the grace in watch mode, otherwise as
    /// soon as observed and current differ.
    bool isStale(quint32 job) const;
    /// Watch mode: staleness has a grace (`--stale-after`) and its own clock.
    bool watchesStaleness() const { return m_options.staleAfterMs >= 0; }

    /// Hands queued writes to the target now instead of at the end of this event-loop turn.
    void flush();
    /// Writes handed out or queued whose outcome is not known yet.
    qsizetype writesInFlight() const { return m_inFlight; }
    /// Jobs whose last write failed and that still wait for a retry.
    qsizetype retryPendingCount() const;
    qsizetype staleCount() const;
    /// Wall clock (ms) of the first failure of the job that has waited longest in retry
    /// pending; 0 when none waits. Costs one look per failing job, not per job.
    qint64 oldestRetryPendingSinceMs() const;

    const Counters &counters() const { return m_counters; }

    /// Jobs whose state changed since the last call (each once), for models to refresh
    /// once per frame instead of once per event.
    QList<quint32> takeChangedJobs();

Q_SIGNALS:
    /// A write succeeded: the job's persisted backend went from `from` (None: first) to `to`.
    void persisted(quint32 job, quint32 from, quint32 to, const QString &cacheKey);
    /// A write failed; the job keeps `kept` and retries later.
    void persistFailed(quint32 job, quint32 kept, quint32 target, const QString &error);
    /// Watch mode: the job has differed from the table for the grace (`sinceMs`: since when).
    void becameStale(quint32 job, qint64 sinceMs);
    /// Watch mode: an observation moved the job's observed backend (not emitted for the
    /// many that repeat it).
    void observedChanged(quint32 job);
    /// Watch mode: a stale job is in step again, after `durationMs` of staleness.
    void staleRecovered(quint32 job, qint64 durationMs);
    /// Some job's state changed; emitted once per event-loop turn at most.
    void jobsChanged();
    /// Every write handed out has settled (writesInFlight() dropped to 0).
    void settled();

private:
    /// A copy of the fields the hot path compares, kept in step by syncHot().
    struct HotState {
        quint32 observed = None;
        quint32 current = None;
        quint32 inflight = None;
        quint32 keyed = 0; ///< the latest event had a cache key
    };
    void syncHot(quint32 job, const JobState &s)
    {
        m_hot[job] = {s.observed, s.current, s.inflight, s.cacheKey.isNull() ? 0u : 1u};
    }
    void onEventSlow(quint32 job, quint32 backend, const QString &cacheKey);
    /// Watch mode: starts or ends the job's staleness clock after observed or current moved.
    void updateStaleness(quint32 job, const JobState &s);
    void announceStale(quint32 job, qint64 sinceMs);

    /// Null (a miss) differs from empty; cheap when both are null, the hot path's case.
    static bool sameKey(const QString &a, const QString &b)
    {
        return a.isNull() == b.isNull() && a.size() == b.size() && (a.isEmpty() || a == b);
    }
    void markChanged(quint32 job, JobState &s)
    {
        if (s.flags & JobState::Changed)
            return;
        s.flags |= JobState::Changed;
        m_changed.append(job);
        if (!m_changeSignalScheduled)
            scheduleChangeSignal();
    }
    void startWrite(quint32 job, JobState &s, quint32 backend);
    void scheduleChangeSignal();
    void scheduleFlush();
    void settle(quint32 job, const PersistWrite &write, const PersistOutcome &outcome);
    void scheduleRetry(quint32 job, JobState &s);
    void runDueRetries();

    PersistTarget *m_target = nullptr;
    Options m_options;
    Counters m_counters;

    Interner m_backends;
    Interner m_workers;
    QList<QString> m_jobIds;
    QHash<QString, quint32> m_jobIndex;
    QList<JobState> m_jobs;
    std::vector<HotState> m_hot; ///< parallel to m_jobs

    QList<PersistWrite> m_outgoing;
    QList<quint32> m_outgoingJobs;
    qsizetype m_inFlight = 0;
    bool m_flushScheduled = false;

    QList<quint32> m_changed;
    bool m_changeSignalScheduled = false;

    std::multimap<qint64, quint32> m_retryQueue;
    QHash<quint32, qint64> m_failingSince; ///< jobs whose last write failed -> first failure
    QTimer m_retryTimer;
    Staleness m_staleness;
};
