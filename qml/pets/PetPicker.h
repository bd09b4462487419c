#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

class TrackerTable;

/*!
 * Which jobs get a pet. With the simulation: the jobs it is running. Otherwise (replay,
 * ingest, watch) the latest job of each worker plus any job active within the last
 * RecentMs, so a worker that hops between jobs shows each of them for a while. At most
 * MaxPets, the first ones by worker id then job id (natural order: w2 before w10).
 */
class PetPicker {
public:
    static constexpr int MaxPets = 500;
    static constexpr qint64 RecentMs = 30'000;

    void reset(const TrackerTable *tracker);
    /// Simulation mode: exactly these job ids (tracker jobs not known yet are skipped).
    void setRunning(const QSet<QString> &jobIds);
    void addRunning(const QString &jobId) { m_running.insert(jobId); }
    void removeRunning(const QString &jobId) { m_running.remove(jobId); }
    bool simulated() const { return m_simulated; }

    /// Other modes: `changed` jobs were active at `now`; true when the pick may change.
    bool noteActivity(const QList<quint32> &changed, qsizetype previousJobCount, qint64 now);

    /// The jobs to show, in display order; `hidden` = how many more would qualify.
    QList<quint32> pick(qint64 now, int *hidden);
    /// When the next recent job expires (-1: none), so the caller can re-pick then.
    qint64 nextExpiry() const { return m_nextExpiry; }

    /// Natural order: digit runs compare as numbers.
    static bool naturalLess(const QString &a, const QString &b);

private:
    const TrackerTable *m_tracker = nullptr;
    bool m_simulated = false;
    QSet<QString> m_running;
    QHash<quint32, quint32> m_latestByWorker; ///< worker → its most recently active job
    QHash<quint32, qint64> m_lastSeen;        ///< job → when last active
    qint64 m_nextExpiry = -1;
};
