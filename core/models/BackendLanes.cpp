#include "models/BackendLanes.h"

#include "sim/GatewaySim.h"
#include "sources/EventDispatcher.h"
#include "tracker/TrackerTable.h"

#include <QSet>

namespace {

BackendLane named(const QString &id)
{
    BackendLane lane;
    lane.id = id;
    return lane;
}

QList<BackendLane> lanesWithoutSimulation(const TrackerTable *tracker,
                                          const EventDispatcher *dispatcher)
{
    QList<BackendLane> lanes;
    QSet<QString> seen;
    if (tracker) {
        for (const QString &id : tracker->backends().all()) {
            seen.insert(id);
            lanes.append(named(id));
        }
    }
    if (dispatcher) {
        // Backend lines may name backends no event went to yet; a stable order (sorted)
        // keeps lanes from jumping between refreshes.
        const QHash<QString, QString> &states = dispatcher->backendStates();
        QStringList extra;
        for (auto it = states.cbegin(); it != states.cend(); ++it)
            if (!seen.contains(it.key()))
                extra.append(it.key());
        extra.sort();
        for (const QString &id : std::as_const(extra))
            lanes.append(named(id));
        for (BackendLane &lane : lanes)
            lane.state = states.value(lane.id, lane.state);
    }
    return lanes;
}

void countJobs(const TrackerTable &tracker, QList<BackendLane> &lanes)
{
    // A flat scan: at 100k jobs it costs well under a millisecond, cheaper and simpler than
    // shadowing every job's counted state to update counts incrementally.
    const Interner &interned = tracker.backends();
    QList<int> laneOf(interned.size(), -1);
    for (qsizetype l = 0; l < lanes.size(); ++l) {
        const quint32 b = interned.find(lanes.at(l).id);
        if (b != Interner::None)
            laneOf[b] = int(l);
    }
    QList<int> jobs(lanes.size(), 0);
    QList<int> incoming(lanes.size(), 0);
    const qsizetype n = tracker.jobCount();
    for (qsizetype j = 0; j < n; ++j) {
        const JobState &s = tracker.state(quint32(j));
        if (s.current != JobState::None) {
            const int l = laneOf.at(s.current);
            if (l >= 0)
                ++jobs[l];
        }
        if (s.observed != JobState::None && s.observed != s.current) {
            const int l = laneOf.at(s.observed);
            if (l >= 0)
                ++incoming[l];
        }
    }
    for (qsizetype l = 0; l < lanes.size(); ++l) {
        lanes[l].jobs = jobs.at(l);
        lanes[l].incoming = incoming.at(l);
    }
}

} // namespace

QList<BackendLane> collectBackendLanes(const TrackerTable *tracker, const GatewaySim *sim,
                                       const EventDispatcher *dispatcher)
{
    QList<BackendLane> lanes;
    if (sim) {
        const QList<BackendInfo> infos = sim->backends();
        lanes.reserve(infos.size());
        for (const BackendInfo &b : infos)
            lanes.append(BackendLane{b.id, b.state, b, 0, 0});
    } else {
        lanes = lanesWithoutSimulation(tracker, dispatcher);
    }
    if (tracker && !lanes.isEmpty())
        countJobs(*tracker, lanes);
    return lanes;
}
