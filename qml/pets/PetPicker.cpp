#include "PetPicker.h"

#include "tracker/TrackerTable.h"

#include <algorithm>

void PetPicker::reset(const TrackerTable *tracker)
{
    m_tracker = tracker;
    m_simulated = false;
    m_running.clear();
    m_latestByWorker.clear();
    m_lastSeen.clear();
    m_nextExpiry = -1;
    if (!tracker)
        return;
    // Jobs loaded from the database have no activity yet: each worker shows its newest one.
    for (quint32 job = 0; job < quint32(tracker->jobCount()); ++job) {
        const quint32 worker = tracker->state(job).worker;
        if (worker != JobState::None)
            m_latestByWorker.insert(worker, job);
    }
}

void PetPicker::setRunning(const QSet<QString> &jobIds)
{
    m_simulated = true;
    m_running = jobIds;
}

bool PetPicker::noteActivity(const QList<quint32> &changed, qsizetype previousJobCount, qint64 now)
{
    if (m_simulated)
        // Jobs the simulation started before the tracker knew them appear with their first event.
        return previousJobCount != m_tracker->jobCount();
    bool maybe = false;
    for (const quint32 job : changed) {
        auto seen = m_lastSeen.find(job);
        if (seen == m_lastSeen.end()) {
            m_lastSeen.insert(job, now);
            maybe = true;
        } else {
            *seen = now;
        }
        const quint32 worker = m_tracker->state(job).worker;
        if (worker != JobState::None) {
            auto latest = m_latestByWorker.find(worker);
            if (latest == m_latestByWorker.end() || *latest != job) {
                m_latestByWorker.insert(worker, job);
                maybe = true;
            }
        }
    }
    return maybe;
}

QList<quint32> PetPicker::pick(qint64 now, int *hidden)
{
    QList<quint32> jobs;
    m_nextExpiry = -1;
    if (!m_tracker) {
        *hidden = 0;
        return jobs;
    }
    if (m_simulated) {
        for (const QString &id : std::as_const(m_running)) {
            const quint32 job = m_tracker->findJob(id);
            if (job != TrackerTable::None)
                jobs.append(job);
        }
    } else {
        QSet<quint32> chosen;
        for (const quint32 job : std::as_const(m_latestByWorker))
            chosen.insert(job);
        for (auto it = m_lastSeen.begin(); it != m_lastSeen.end();) {
            const qint64 expires = it.value() + RecentMs;
            if (expires <= now) {
                it = m_lastSeen.erase(it);
                continue;
            }
            chosen.insert(it.key());
            if (m_nextExpiry < 0 || expires < m_nextExpiry)
                m_nextExpiry = expires;
            ++it;
        }
        jobs = QList<quint32>(chosen.begin(), chosen.end());
    }

    const TrackerTable &t = *m_tracker;
    const auto less = [&t](quint32 a, quint32 b) {
        const QString wa = t.workerId(a), wb = t.workerId(b);
        if (wa != wb)
            return naturalLess(wa, wb);
        return naturalLess(t.jobId(a), t.jobId(b));
    };
    const qsizetype shown = std::min<qsizetype>(jobs.size(), MaxPets);
    std::partial_sort(jobs.begin(), jobs.begin() + shown, jobs.end(), less);
    *hidden = int(jobs.size() - shown);
    jobs.resize(shown);
    return jobs;
}

bool PetPicker::naturalLess(const QString &a, const QString &b)
{
    qsizetype i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i].isDigit() && b[j].isDigit()) {
            qsizetype ie = i, je = j;
            while (ie < a.size() && a[ie].isDigit())
                ++ie;
            while (je < b.size() && b[je].isDigit())
                ++je;
            // Compare digit runs as numbers without overflow: longer (sans zeros) is larger.
            QStringView da = QStringView(a).mid(i, ie - i), db = QStringView(b).mid(j, je - j);
            while (da.size() > 1 && da.front() == u'0')
                da = da.mid(1);
            while (db.size() > 1 && db.front() == u'0')
                db = db.mid(1);
            if (da.size() != db.size())
                return da.size() < db.size();
            if (const int c = da.compare(db); c != 0)
                return c < 0;
            i = ie;
            j = je;
        } else {
            if (a[i] != b[j])
                return a[i] < b[j];
            ++i;
            ++j;
        }
    }
    return a.size() - i < b.size() - j;
}
