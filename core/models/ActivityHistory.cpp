#include "models/ActivityHistory.h"

#include "tracker/TrackerTable.h"

#include <QDateTime>

#include <algorithm>

ActivityHistory::ActivityHistory(QObject *parent, Clock now)
    : QObject(parent),
      m_now(now ? std::move(now) : [] { return QDateTime::currentMSecsSinceEpoch(); }),
      m_switches(Buckets, 0), m_failures(Buckets, 0), m_bucket(bucketNow())
{
    // Once a second: the sparkline scrolls smoothly enough, and a burst of 5,000 writes a
    // second costs QML one update, not 5,000.
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &ActivityHistory::flush);
    m_timer.start();
}

void ActivityHistory::follow(TrackerTable *tracker)
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = tracker;
    if (!tracker)
        return;
    m_connections << connect(tracker, &TrackerTable::persisted, this,
                             [this](quint32, quint32 from, quint32, const QString &) {
                                 if (from != JobState::None) // a first resolution is no switch
                                     addSwitch();
                             });
    m_connections << connect(tracker, &TrackerTable::persistFailed, this,
                             &ActivityHistory::addFailure);
}

void ActivityHistory::clear()
{
    m_switches.fill(0);
    m_failures.fill(0);
    m_dirty = true;
}

void ActivityHistory::roll(qint64 bucket)
{
    if (bucket <= m_bucket)
        return; // the clock went back (or stood still): count into the newest bucket
    // Zero the buckets that passed without events (all of them after a long pause).
    const qint64 steps = std::min<qint64>(bucket - m_bucket, Buckets);
    for (qint64 i = 1; i <= steps; ++i) {
        const auto slot = qsizetype((m_bucket + i) % Buckets);
        m_switches[slot] = 0;
        m_failures[slot] = 0;
    }
    m_bucket = bucket;
}

void ActivityHistory::add(QList<int> &ring)
{
    roll(bucketNow());
    ++ring[qsizetype(m_bucket % Buckets)];
    m_dirty = true;
}

QList<int> ActivityHistory::series(const QList<int> &ring) const
{
    // Read against the clock, so quiet minutes read as zeros even before flush() rolls.
    const qint64 now = std::max(bucketNow(), m_bucket);
    QList<int> out(Buckets, 0);
    for (int i = 0; i < Buckets; ++i) {
        const qint64 bucket = now - (Buckets - 1) + i;
        if (bucket <= m_bucket && bucket > m_bucket - Buckets)
            out[i] = ring.at(qsizetype(bucket % Buckets));
    }
    return out;
}

int ActivityHistory::peak() const
{
    int peak = 1;
    for (const int v : switches())
        peak = std::max(peak, v);
    for (const int v : failures())
        peak = std::max(peak, v);
    return peak;
}

void ActivityHistory::flush()
{
    const qint64 bucket = bucketNow();
    roll(bucket);
    if (!m_dirty && bucket == m_emittedBucket)
        return;
    m_dirty = false;
    m_emittedBucket = bucket;
    Q_EMIT changed();
}
