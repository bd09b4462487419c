#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class TrackerTable;

/*!
 * Sparkline data: persisted switches (writes replacing a non-null backend) and failed
 * writes per 5-second bucket over the last 5 minutes, oldest bucket first, the current
 * (partial) bucket last. `changed` is emitted at most once a second.
 */
class ActivityHistory : public QObject {
    Q_OBJECT
    Q_PROPERTY(QList<int> switches READ switches NOTIFY changed)
    Q_PROPERTY(QList<int> failures READ failures NOTIFY changed)
    /// The largest bucket over both series, at least 1 (a ready-made scale).
    Q_PROPERTY(int peak READ peak NOTIFY changed)
    Q_PROPERTY(int bucketSeconds READ bucketSeconds CONSTANT)
    Q_PROPERTY(int bucketCount READ bucketCount CONSTANT)
public:
    static constexpr int BucketSeconds = 5;
    static constexpr int Buckets = 60;

    using Clock = std::function<qint64()>; ///< ms since the epoch

    /// `now` defaults to the wall clock; tests pass their own so they never sleep.
    explicit ActivityHistory(QObject *parent = nullptr, Clock now = {});

    void follow(TrackerTable *tracker);
    void addSwitch() { add(m_switches); }
    void addFailure() { add(m_failures); }
    void clear();

    QList<int> switches() const { return series(m_switches); }
    QList<int> failures() const { return series(m_failures); }
    int peak() const;
    int bucketSeconds() const { return BucketSeconds; }
    int bucketCount() const { return Buckets; }

    /// Emits changed() now if the data moved (counts or time); normally a 1 s timer does.
    void flush();

Q_SIGNALS:
    void changed();

private:
    qint64 bucketNow() const { return m_now() / (qint64(BucketSeconds) * 1000); }
    void add(QList<int> &ring);
    void roll(qint64 bucket);
    QList<int> series(const QList<int> &ring) const;

    Clock m_now;
    QList<int> m_switches; ///< ring indexed by bucket % Buckets
    QList<int> m_failures;
    qint64 m_bucket = 0; ///< the newest bucket the rings hold
    qint64 m_emittedBucket = -1;
    bool m_dirty = false;
    QTimer m_timer;
    QPointer<TrackerTable> m_tracker;
    QList<QMetaObject::Connection> m_connections;
};
