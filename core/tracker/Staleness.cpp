#include "tracker/Staleness.h"

#include <QDateTime>

#include <algorithm>

Staleness::Staleness(QObject *parent)
    : QObject(parent), m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Staleness::expire);
}

void Staleness::diverged(quint32 job, qint64 nowMs)
{
    if (m_since.contains(job))
        return;
    m_since.insert(job, nowMs);
    if (m_queue.empty() || m_queue.back().first <= nowMs) {
        m_queue.emplace_back(nowMs, job);
    } else { // a clock restored from the last run: older than the live ones
        const auto at =
            std::upper_bound(m_queue.begin(), m_queue.end(), std::pair(nowMs, job),
                             [](const auto &a, const auto &b) { return a.first < b.first; });
        m_queue.insert(at, {nowMs, job});
    }
    if (!m_timer.isActive() || m_queue.front().second == job)
        armTimer();
}

Staleness::End Staleness::converged(quint32 job, qint64 nowMs)
{
    const auto it = m_since.constFind(job);
    if (it == m_since.constEnd())
        return {};
    End end{true, false, std::max<qint64>(0, nowMs - *it)};
    end.wasStale = end.durationMs >= m_graceMs;
    m_since.erase(it);
    if (end.wasStale) {
        const double seconds = double(end.durationMs) / 1000.0;
        const auto bucket = std::lower_bound(BucketBounds.begin(), BucketBounds.end(), seconds);
        if (bucket != BucketBounds.end())
            ++m_histogram.buckets[std::size_t(bucket - BucketBounds.begin())];
        ++m_histogram.count;
        m_histogram.sumSeconds += seconds;
    }
    if (m_since.isEmpty()) {
        m_queue.clear();
        m_timer.stop();
    }
    return end;
}

bool Staleness::isStale(quint32 job, qint64 nowMs) const
{
    const auto it = m_since.constFind(job);
    return it != m_since.constEnd() && nowMs - *it >= m_graceMs;
}

qsizetype Staleness::staleCount(qint64 nowMs) const
{
    return std::count_if(m_since.cbegin(), m_since.cend(),
                         [&](qint64 since) { return nowMs - since >= m_graceMs; });
}

qsizetype Staleness::pendingCount(qint64 nowMs) const
{
    return m_since.size() - staleCount(nowMs);
}

qint64 Staleness::oldestStaleSinceMs(qint64 nowMs) const
{
    qint64 oldest = 0;
    for (const qint64 since : m_since) {
        if (nowMs - since >= m_graceMs && (oldest == 0 || since < oldest))
            oldest = since;
    }
    return oldest;
}

void Staleness::armTimer()
{
    // Drop what converged (or restarted later) from the front: only live clocks time out.
    while (!m_queue.empty() && m_since.value(m_queue.front().second, -1) != m_queue.front().first)
        m_queue.pop_front();
    if (m_queue.empty())
        return;
    const qint64 due = m_queue.front().first + m_graceMs;
    m_timer.start(int(std::clamp<qint64>(due - now(), 0, 24 * 3600 * 1000)));
}

void Staleness::expire()
{
    const qint64 nowMs = now();
    while (!m_queue.empty()) {
        const auto [since, job] = m_queue.front();
        if (m_since.value(job, -1) != since) {
            m_queue.pop_front();
            continue;
        }
        if (nowMs - since < m_graceMs)
            break;
        m_queue.pop_front();
        Q_EMIT becameStale(job, since);
    }
    armTimer();
}
