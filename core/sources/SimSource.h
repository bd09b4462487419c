#pragma once

#include "sources/EventSource.h"

#include <QDateTime>

class GatewaySim;
class TrackerTable;

/*!
 * The gateway simulation as an event source: each served request becomes an event line,
 * and each backend state change a backend line, so the trackers, the recorder and the UI see
 * the simulation exactly as they would see a replay of it. Requests carry the tracker's
 * current value as the preferred backend, as real workers do.
 */
class SimSource : public EventSource {
    Q_OBJECT
public:
    SimSource(GatewaySim *sim, TrackerTable *tracker, QObject *parent = nullptr);

    void start() override;
    void stop() override;
    GatewaySim *sim() const { return m_sim; }
    /// Finite once the simulation has a time limit (GatewaySim::setTimeLimit).
    bool isFinite() const override { return m_finite; }
    void setFinite(bool finite) { m_finite = finite; }
    /// The simulation's clock as a date: 2000-01-01T00:00:00Z plus simulated seconds. Every
    /// line of a simulation's record carries it (events, backend changes, faults).
    QDateTime now() const;

protected:
    QString sourceName() const override { return QStringLiteral("simulation"); }

private:
    void stamp(EventLine &line) const;

    GatewaySim *m_sim;
    bool m_finite = false;
};
