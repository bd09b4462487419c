#pragma once

#include "sim/SimBackend.h"

#include <QList>
#include <QString>

#include <optional>

class EventDispatcher;
class GatewaySim;
class TrackerTable;

/// One backend as the dashboard and /metrics show it.
struct BackendLane {
    QString id;
    QString state = QStringLiteral("online"); ///< "online" | "saturated" | "offline"
    std::optional<BackendInfo> load;          ///< load figures; simulation only
    int jobs = 0;     ///< jobs whose persisted backend (the tracker's `current`) is this one
    int incoming = 0; ///< jobs observed here, persisted elsewhere (stale jobs heading here)
};

/*!
 * Every backend in lane order: the simulation's backends when there is one, else every
 * backend the tracker has seen plus any named only by backend lines (sorted, so lanes do
 * not jump). States come from the simulation, else from backend lines (default online).
 * Job counts take one pass over the tracker's jobs, no allocation per job: cheap at 100k.
 * Any source may be null.
 */
QList<BackendLane> collectBackendLanes(const TrackerTable *tracker, const GatewaySim *sim,
                                       const EventDispatcher *dispatcher);
