#pragma once

#include "sim/Scenario.h"
#include "sim/SimBackend.h"
#include "util/Mulberry32.h"

#include <QList>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <queue>
#include <vector>

/*!
 * The LLM gateway and its backends, simulated: jobs on workers send requests that carry a
 * preferred backend; the gateway honours it unless that backend is offline or saturated,
 * else picks the least-loaded usable one: fewest sticky jobs per slot, then fewest requests
 * in flight, then the rendezvous hash of the job id (so reshuffles stay small). When every
 * backend is saturated a job stays on its preferred one, else goes to the least loaded
 * online one.
 *
 * A discrete-event simulation on virtual time: advance(dt) runs every due event in
 * (time, order) sequence, so how time is chopped does not change the run, and the same
 * seed, options and preferred-backend answers give the same event sequence. start() drives
 * it from a QTimer, advancing tickMs × speed of virtual time per tick (not wall-clock time,
 * which would make live runs depend on machine load).
 *
 * A request whose job finds every backend offline fails: it emits requestFailed() and is
 * counted in counters().failed, never event().
 */
class GatewaySim : public QObject {
    Q_OBJECT
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY pausedChanged)
    Q_PROPERTY(double speed READ speed WRITE setSpeed NOTIFY speedChanged)
    Q_PROPERTY(QString scenario READ scenario NOTIFY scenarioChanged)
public:
    struct Options {
        int jobs = 24;   ///< jobs in the system, constant: finished ones are replaced
        int workers = 8; ///< jobs running at once, one per worker
        int backends = 4;
        double rate = 1.0; ///< requests per second per running job
        quint32 seed = 42;
        int capacity = 8;           ///< concurrent requests per backend
        int saturateWaiting = 1;    ///< saturated while at least this many requests wait
        double saturateKv = 0.9;    ///< … or while KV-cache use passes this
        double kvHysteresis = 0.05; ///< online again only below saturateKv - this
        double meanRequests = 40;   ///< requests per job, on average
        double hitSeconds = 0.3;    ///< mean service time of a cache hit
        double missFactor = 2.5;    ///< a miss takes this much longer (prefill)
        double rampSeconds = 5;     ///< the first jobs' first requests spread over this
        int tickMs = 33;
        Scenario::Timing scenario;
    };

    struct Counters {
        quint64 requests = 0; ///< served, i.e. event() emitted
        quint64 hits = 0;
        quint64 failed = 0; ///< every backend offline
        quint64 jobsFinished = 0;
    };

    using PreferredBackend = std::function<QString(const QString &jobId)>;

    explicit GatewaySim(QObject *parent = nullptr);
    explicit GatewaySim(Options options, QObject *parent = nullptr);

    /// The hint for each request (the tracker's current value; null: no preference).
    /// Unset, the simulation remembers each job's last backend itself.
    void setPreferredBackend(PreferredBackend preferred) { m_preferred = std::move(preferred); }

    /// Runs every event due within the next `dtSeconds` of virtual time (nothing when paused).
    void advance(double dtSeconds);
    void start();
    void stop();
    /// Ticking stops once `virtualSeconds` of simulated time have passed (0 = never), and
    /// timeLimitReached() is emitted: the same seed and limit give the same run.
    void setTimeLimit(double virtualSeconds) { m_timeLimit = virtualSeconds; }
    bool isTicking() const { return m_timer.isActive(); }

    double now() const { return m_now; }
    const Options &options() const { return m_options; }
    const Counters &counters() const { return m_counters; }
    QList<BackendInfo> backends() const;
    QList<SimJobInfo> runningJobs() const;
    qsizetype jobCount() const;
    qsizetype queuedJobs() const { return qsizetype(m_queue.size()); }

    // --- run-time controls (false: no such backend / scenario) ---------------------------
    Q_INVOKABLE bool takeOffline(const QString &backendId);
    Q_INVOKABLE bool saturate(const QString &backendId);
    /// Clears offline, manual saturation and scenario pressure.
    Q_INVOKABLE bool bringOnline(const QString &backendId);
    Q_INVOKABLE QString addBackend();
    /// Its requests are dropped; its jobs move on their next request.
    Q_INVOKABLE bool removeBackend(const QString &backendId);
    Q_INVOKABLE bool setCapacity(const QString &backendId, int capacity);
    Q_INVOKABLE void pause() { setPaused(true); }
    Q_INVOKABLE void resume() { setPaused(false); }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    /// Starts a preset (see Scenario::fromName), stopping any running one. `backendId`
    /// picks the target of the one-backend presets; empty: the backend with most jobs.
    Q_INVOKABLE bool runScenario(const QString &name, const QString &backendId = {});
    /// Stops the running scenario and brings back what it took down.
    Q_INVOKABLE void stopScenario();
    QString scenario() const { return m_scenarioName; }

Q_SIGNALS:
    /// A request was served by `backendId`; `cacheKey` is null on a cache miss.
    void event(const QString &jobId, const QString &workerId, const QString &backendId,
               const QString &cacheKey);
    void requestFailed(const QString &jobId, const QString &workerId);
    void timeLimitReached();
    void backendStateChanged(const QString &backendId, const QString &state);
    void backendAdded(const QString &backendId);
    void backendRemoved(const QString &backendId);
    void jobStarted(const QString &jobId, const QString &workerId);
    void jobFinished(const QString &jobId, const QString &workerId);
    void scenarioStarted(const QString &name);
    void scenarioFinished(const QString &name);
    void pausedChanged();
    void speedChanged();
    void scenarioChanged();

private:
    enum class Due { Request, Done, ScenarioStep };
    struct Timed {
        double at;
        quint64 seq; ///< ties at the same time run in the order they were scheduled
        Due kind;
        int a;     ///< worker / backend uid / step index
        quint64 b; ///< job serial / backend epoch / scenario generation
        double kv = 0;
        bool operator>(const Timed &o) const { return at != o.at ? at > o.at : seq > o.seq; }
    };
    struct Job {
        QString id;
        quint64 serial = 0; ///< per start, so a finished job's late request timer is ignored
        int requestsLeft = 0;
        int served = 0;
        double pace = 1;    ///< requests per second
        double context = 0; ///< 0–1, its requests' KV share × capacity; grows each turn
        QString lastBackend;
    };
    struct Worker {
        QString id;
        bool busy = false;
        Job job;
    };

    void schedule(double at, Due kind, int a, quint64 b, double kv = 0);
    void handle(const Timed &t);
    void sendRequest(int worker);
    void requestDone(int uid, quint32 epoch, double kv);
    void startNextJob(int worker, double ramp = 0);
    void scheduleNextRequest(int worker, bool first, double ramp = 0);
    void runScenarioStep(int index);

    int route(const QString &jobId, const QString &preferred) const;
    int indexOf(QStringView backendId) const;
    int indexOfUid(int uid) const;
    void moveSession(const QString &backendId, int delta);
    void admit(SimBackend &b, SimBackend::Pending p);
    void startService(SimBackend &b, SimBackend::Pending p);
    void updateOverload(SimBackend &b) const;
    /// Re-evaluates the state and announces a change. Call last: a slot may change the fleet.
    void announceState(int index);
    SimBackend makeBackend();

    Options m_options;
    Counters m_counters;
    Mulberry32 m_rng;
    PreferredBackend m_preferred;
    QList<SimBackend> m_backends;
    int m_nextBackendUid = 0;
    int m_nextBackendName = 0;
    QList<Worker> m_workers;
    std::deque<QString> m_queue;
    quint64 m_nextJobName = 0;
    quint64 m_nextJobSerial = 0;

    std::priority_queue<Timed, std::vector<Timed>, std::greater<>> m_due;
    quint64 m_seq = 0;
    double m_now = 0;
    bool m_inAdvance = false;
    bool m_started = false; ///< workers take their first jobs on the first advance()

    QList<Scenario::Step> m_scenarioSteps;
    QString m_scenarioName;
    quint64 m_scenarioGeneration = 0;
    int m_scenarioLeft = 0;
    QStringList m_scenarioTouched;

    bool m_paused = false;
    double m_speed = 1.0;
    QTimer m_timer;
    double m_timeLimit = 0;
};
