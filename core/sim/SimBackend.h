#pragma once

#include <QList>
#include <QMetaType>
#include <QSet>
#include <QString>

#include <algorithm>
#include <deque>

/// A job that a worker is running now, and where its latest request went.
struct SimJobInfo {
    Q_GADGET
    Q_PROPERTY(QString jobId MEMBER jobId)
    Q_PROPERTY(QString workerId MEMBER workerId)
    Q_PROPERTY(QString backendId MEMBER backendId)
    Q_PROPERTY(int requestsServed MEMBER requestsServed)
public:
    QString jobId;
    QString workerId;
    QString backendId; ///< null until the job's first request was served
    int requestsServed = 0;

    bool operator==(const SimJobInfo &) const = default;
};

/// What the UI shows of one simulated backend (a snapshot; see GatewaySim::backends()).
struct BackendInfo {
    Q_GADGET
    Q_PROPERTY(QString id MEMBER id)
    Q_PROPERTY(QString state MEMBER state)
    Q_PROPERTY(int capacity MEMBER capacity)
    Q_PROPERTY(int running MEMBER running)
    Q_PROPERTY(int waiting MEMBER waiting)
    Q_PROPERTY(double kvCacheUse MEMBER kvCacheUse)
    Q_PROPERTY(double hitRate MEMBER hitRate)
    Q_PROPERTY(QList<SimJobInfo> jobs MEMBER jobs)
public:
    QString id;
    QString state; ///< "online" | "saturated" | "offline"
    int capacity = 0;
    int running = 0;        ///< requests being served
    int waiting = 0;        ///< requests queued behind them
    double kvCacheUse = 0;  ///< 0–1
    double hitRate = 0;     ///< prefix-cache hits among recent requests, 0–1
    QList<SimJobInfo> jobs; ///< running jobs whose latest request this backend served

    bool operator==(const BackendInfo &) const = default;
};

/*!
 * The mutable state of one simulated backend, owned by GatewaySim. Kept a plain struct
 * so the routing code reads like the gateway's rules rather than like accessors.
 */
struct SimBackend {
    struct Pending {
        double serviceSeconds;
        double kv; ///< KV-cache share the request holds while it runs
    };

    QString id;
    int uid = 0; ///< never reused, so late completions of a removed backend find nothing
    int capacity = 1;
    int running = 0;
    std::deque<Pending> waiting;
    int sessions = 0;      ///< running jobs whose latest request this backend served
    double kvRunning = 0;  ///< sum of the running requests' shares
    double kvExternal = 0; ///< pressure from outside the simulated jobs (scenarios)
    double hitRate = 0;
    quint64 served = 0;
    bool offline = false;
    bool manualSaturated = false;
    bool overloaded = false; ///< latched with hysteresis, see updateOverloaded()
    quint32 epoch = 0;       ///< bumps when the backend loses its requests and its cache
    QSet<QString> resident;  ///< jobs whose prefix this backend's cache holds
    QString state = QStringLiteral("online"); ///< as last announced

    double kvCacheUse() const { return std::clamp(kvRunning + kvExternal, 0.0, 1.0); }
    /// Sticky jobs per slot: what a new or moved job adds to for as long as it runs.
    double sessionLoad() const { return double(sessions) / std::max(1, capacity); }
    /// Requests per slot right now.
    double requestLoad() const
    {
        return double(running + qsizetype(waiting.size())) / std::max(1, capacity);
    }
    /// The gateway honours a hint for, and moves jobs to, usable backends only.
    bool usable() const { return !offline && !manualSaturated && !overloaded; }

    /// Overload with hysteresis on KV use, so a backend hovering at the threshold does not
    /// flap between saturated and online on every request (each flap would move jobs).
    void updateOverloaded(int waitingThreshold, double kvThreshold, double kvHysteresis)
    {
        const double kv = kvRunning + kvExternal;
        const bool queued = qsizetype(waiting.size()) >= std::max(1, waitingThreshold);
        overloaded = queued || kv > (overloaded ? kvThreshold - kvHysteresis : kvThreshold);
    }

    QString computeState() const
    {
        if (offline)
            return QStringLiteral("offline");
        if (manualSaturated || overloaded)
            return QStringLiteral("saturated");
        return QStringLiteral("online");
    }

    /// Drops every request and the cache: what a restart or a crash does to a backend.
    void reset()
    {
        running = 0;
        waiting.clear();
        kvRunning = 0;
        overloaded = false;
        resident.clear();
        served = 0;
        hitRate = 0;
        ++epoch;
    }
};

Q_DECLARE_METATYPE(SimJobInfo)
Q_DECLARE_METATYPE(BackendInfo)
