// TrackerTable in watch mode: observations from the gateway and the staleness they reveal.
// They never write: the table belongs to the operator's workers.

#include "tracker/TrackerTable.h"

#include "util/Escape.h"
#include "util/Logging.h"

void TrackerTable::observeServed(const QString &jobId, const QString &workerId,
                                 const QString &backendId, const QString &cacheKey, qint64 tsMs)
{
    ++m_counters.observations;
    const quint32 job = ensureJob(jobId, workerId);
    const quint32 backend = m_backends.intern(backendId);
    JobState &s = m_jobs[job];
    const qint64 now = m_staleness.now();
    const bool first = !(s.flags & JobState::Observed);
    const bool moved = first || s.observed != backend;
    s.flags |= JobState::Observed;
    if (moved || !sameKey(s.cacheKey, cacheKey) || s.observedAtMs != (tsMs > 0 ? tsMs : now)) {
        s.observed = backend;
        s.cacheKey = cacheKey;
        s.observedAtMs = tsMs > 0 ? tsMs : now;
        markChanged(job, s);
        syncHot(job, s);
    }
    if (moved)
        Q_EMIT observedChanged(job);
    updateStaleness(job, m_jobs[job]); // slots may have added jobs
}

void TrackerTable::restoreObservation(const QString &jobId, const QString &workerId,
                                      const QString &backendId, const QString &cacheKey,
                                      qint64 observedAtMs, qint64 staleSinceMs)
{
    const quint32 job = ensureJob(jobId, workerId);
    JobState &s = m_jobs[job];
    if (s.flags & JobState::Observed)
        return;
    s.flags |= JobState::Observed;
    s.observed = m_backends.intern(backendId);
    s.cacheKey = cacheKey;
    s.observedAtMs = observedAtMs;
    markChanged(job, s);
    syncHot(job, s);
    // The clock started in the last run; in step already, that is a recovery now.
    m_staleness.diverged(job, staleSinceMs);
    updateStaleness(job, s);
}

void TrackerTable::updateStaleness(quint32 job, const JobState &s)
{
    const qint64 now = m_staleness.now();
    if (s.observed != None && s.observed != s.current) {
        m_staleness.diverged(job, now);
        return;
    }
    const Staleness::End end = m_staleness.converged(job, now);
    if (!end.wasDiverged)
        return;
    markChanged(job, m_jobs[job]);
    if (!end.wasStale)
        return; // a write that landed within the grace: the normal case
    ++m_counters.staleRecovered;
    qCInfo(lcTracker).noquote() << Escape::text(
        QStringLiteral("[worker:%1] job %2 recovered after %3 s: the table holds %4, where the "
                       "gateway serves it")
            .arg(workerId(job), jobId(job),
                 QString::number(double(end.durationMs) / 1000.0, 'f', 1),
                 m_backends.text(s.current)));
    Q_EMIT staleRecovered(job, end.durationMs);
}

void TrackerTable::announceStale(quint32 job, qint64 sinceMs)
{
    JobState &s = m_jobs[job];
    markChanged(job, s);
    qCWarning(lcTracker).noquote() << Escape::text(
        QStringLiteral("[worker:%1] job %2 is stale: the gateway serves it on %3, the table "
                       "still holds %4 (for %5 s)")
            .arg(workerId(job), jobId(job), m_backends.text(s.observed),
                 s.current == None ? QStringLiteral("nothing") : m_backends.text(s.current),
                 QString::number(double(m_staleness.now() - sinceMs) / 1000.0, 'f', 1)));
    Q_EMIT becameStale(job, sinceMs);
}

bool TrackerTable::isStale(quint32 job) const
{
    if (m_options.staleAfterMs >= 0)
        return m_staleness.isStale(job, m_staleness.now());
    return m_jobs.at(job).stale();
}
