#pragma once

#include "sources/EventLine.h"

#include <QHash>
#include <QObject>

class EventSource;
class FaultInjector;
class TrackerTable;

/*!
 * Applies event lines, whatever their source: an event goes to the tracker, a fault to
 * the fault injector, a backend state change to whoever listens (simulation, UI, store).
 * Everything applied is announced through dispatched(), which the recorder writes out.
 */
class EventDispatcher : public QObject {
    Q_OBJECT
public:
    /// `faults` may be null: fault lines are then logged and dropped.
    EventDispatcher(TrackerTable *tracker, FaultInjector *faults, QObject *parent = nullptr);

    /// Dispatches the source's lines as they are emitted (a direct connection, so lock-step
    /// replay sees each line applied before it settles the tracker).
    void attach(EventSource *source);
    /// Applies `line`, or refuses it (false, with `error`) when it would add a job or
    /// backend past the tracker's limits. Refused lines are counted in refusedLines().
    bool dispatch(const EventLine &line, QString *error = nullptr);
    /// The limits check alone; attach() makes sources ask it before they emit a line, so a
    /// refused line is one of the source's bad lines (with its line number).
    bool admit(const EventLine &line, QString *error);
    /// Watch mode: events report values the database already holds, so they go to
    /// TrackerTable::observePersisted() and nothing is written.
    void setObserveOnly(bool observeOnly) { m_observeOnly = observeOnly; }

    TrackerTable *tracker() const { return m_tracker; }
    FaultInjector *faults() const { return m_faults; }

    quint64 events() const { return m_events; }
    quint64 faultLines() const { return m_faultLines; }
    quint64 backendLines() const { return m_backendLines; }
    quint64 refusedLines() const { return m_refusedLines; }
    /// Last state given per backend by a backend line.
    const QHash<QString, QString> &backendStates() const { return m_backendStates; }

Q_SIGNALS:
    /// A backend line changed the backend's recorded state (or named it first).
    void backendStateChanged(const QString &backend, const QString &state);
    /// Every line applied, in order.
    void dispatched(const EventLine &line);

private:
    TrackerTable *m_tracker;
    FaultInjector *m_faults;
    bool m_observeOnly = false;
    quint64 m_events = 0;
    quint64 m_faultLines = 0;
    quint64 m_backendLines = 0;
    quint64 m_refusedLines = 0;
    QHash<QString, QString> m_backendStates;
};
