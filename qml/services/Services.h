#pragma once

#include <QObject>
#include <QPointer>

#include "session/Session.h"

class Counters;
class Faults;
class Fleet;
class QJSEngine;
class QQmlEngine;
class Run;
class Selection;
class Settings;
class Simulation;
class Watch;

/*!
 * The window's QML singletons over one Session, made and wired together: `Run` (what this
 * run is), `Fleet` (jobs, backends, event log), `Selection` (the job in the detail panel),
 * `Counters` (the header figures), `Faults`, `Simulation`, `Watch` and `Settings`.
 *
 * The app (or a test) makes one, makes it current before loading QML, and attaches the
 * Session once it is ready. Each singleton's create() hands QML the current one's part.
 */
class Services : public QObject {
    Q_OBJECT
public:
    explicit Services(QObject *parent = nullptr);
    ~Services() override;

    /// The instance QML's singletons come from; one made on first use when none was set.
    static Services *current();
    static void setCurrent(Services *services);

    /// Shows `session` (which must outlive this or be detached by destroying this). Call
    /// after Session::ready().
    void attach(Session *session);
    Session *session() const { return m_session; }

    Run *run() const { return m_run; }
    Fleet *fleet() const { return m_fleet; }
    Selection *selection() const { return m_selection; }
    Counters *counters() const { return m_counters; }
    Faults *faults() const { return m_faults; }
    Simulation *simulation() const { return m_simulation; }
    Watch *watch() const { return m_watch; }
    Settings *settings() const { return m_settings; }

    /// For the singletons' create(): QML must never take ownership of a part.
    template <typename T> static T *forQml(T *part);

private:
    QPointer<Session> m_session;
    Run *m_run;
    Fleet *m_fleet;
    Selection *m_selection;
    Counters *m_counters;
    Faults *m_faults;
    Simulation *m_simulation;
    Watch *m_watch;
    Settings *m_settings;
};

void setCppOwnership(QObject *object);

template <typename T> T *Services::forQml(T *part)
{
    setCppOwnership(part);
    return part;
}
