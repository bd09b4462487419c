#pragma once

#include <QHash>
#include <QObject>
#include <QTimer>

#include <array>
#include <deque>
#include <functional>

/*!
 * Watch mode's clock for jobs whose observed backend (what the gateway served) differs
 * from the table's value. A job is *pending* while the difference is younger than the
 * grace (`--stale-after`: the write may simply not have landed yet) and *stale* after.
 * When it ends, a stale period's length goes into a histogram for /metrics.
 *
 * Costs nothing for jobs in step: only differing jobs are held, and the grace timer looks
 * at the oldest of them only.
 */
class Staleness : public QObject {
    Q_OBJECT
public:
    using Clock = std::function<qint64()>;
    /// Upper bounds (seconds) of stickyboard_stale_duration_seconds' buckets; +Inf follows.
    static constexpr std::array<double, 10> BucketBounds = {10,  30,   60,   120,   300,
                                                            600, 1800, 3600, 21600, 86400};

    explicit Staleness(QObject *parent = nullptr);

    void setGraceMs(qint64 graceMs) { m_graceMs = graceMs; }
    qint64 graceMs() const { return m_graceMs; }
    /// Wall clock in ms since the epoch; tests set their own.
    void setClock(Clock clock) { m_clock = std::move(clock); }
    qint64 now() const { return m_clock(); }
    /// Announces the jobs whose grace has passed now, instead of when the timer fires (for a
    /// clock that jumps, as in tests).
    void recheck() { expire(); }

    /// The job differs from the table now; its clock starts unless it runs already.
    void diverged(quint32 job, qint64 nowMs);
    struct End {
        bool wasDiverged = false;
        bool wasStale = false; ///< past the grace when it ended
        qint64 durationMs = 0;
    };
    /// The job is in step again; a stale period is counted in the histogram.
    End converged(quint32 job, qint64 nowMs);

    /// When the job's difference began; 0 when it is in step.
    qint64 since(quint32 job) const { return m_since.value(job, 0); }
    bool isStale(quint32 job, qint64 nowMs) const;
    qsizetype staleCount(qint64 nowMs) const;
    qsizetype pendingCount(qint64 nowMs) const;
    /// Start of the oldest stale period; 0 when no job is stale.
    qint64 oldestStaleSinceMs(qint64 nowMs) const;

    struct Histogram {
        std::array<quint64, BucketBounds.size()> buckets{}; ///< not cumulative
        quint64 count = 0;
        double sumSeconds = 0;
    };
    const Histogram &histogram() const { return m_histogram; }
    quint64 recoveries() const { return m_histogram.count; }

Q_SIGNALS:
    /// The job has differed for the grace now: it is stale from here on.
    void becameStale(quint32 job, qint64 sinceMs);

private:
    void armTimer();
    void expire();

    qint64 m_graceMs = 10'000;
    Clock m_clock;
    QHash<quint32, qint64> m_since;
    /// Differing jobs in the order their clock started (the order of `since`); entries of
    /// jobs that converged or restarted meanwhile are skipped when they reach the front.
    std::deque<std::pair<qint64, quint32>> m_queue;
    QTimer m_timer;
    Histogram m_histogram;
};
