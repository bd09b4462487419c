#pragma once

#include <QAbstractItemModel>
#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

// Property types moc must see in full.
Q_MOC_INCLUDE("models/ActivityHistory.h")
Q_MOC_INCLUDE("models/BackendModel.h")
Q_MOC_INCLUDE("models/EventLogFilter.h")
Q_MOC_INCLUDE("models/JobFilterModel.h")

class ActivityHistory;
class BackendModel;
class EventLogFilter;
class JobFilterModel;
class QJSEngine;
class QQmlEngine;
class Session;

/*!
 * The fleet as models: every job, the job table (sorted and filtered in C++), the backends in
 * lane order, the event log and the activity sparklines; and the backend controls.
 */
class Fleet : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Fleet(QObject *parent);
    ~Fleet() override;
    static Fleet *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// Every job, one row each, in the order first seen (JobListModel roles).
    Q_PROPERTY(QAbstractItemModel *jobs READ jobs NOTIFY changed)
    QAbstractItemModel *jobs() const;
    /// The jobs, sortable and filterable (by text, backend and state).
    Q_PROPERTY(JobFilterModel *jobTable READ jobTable CONSTANT)
    JobFilterModel *jobTable() const { return m_jobTable; }
    /// One row per backend, in lane order.
    Q_PROPERTY(BackendModel *backends READ backends CONSTANT)
    BackendModel *backends() const { return m_backends; }
    /// The event log, newest first, filterable by kind and by job or worker text.
    Q_PROPERTY(EventLogFilter *eventLog READ eventLog CONSTANT)
    EventLogFilter *eventLog() const { return m_eventLog; }
    /// Sparkline data over the last minutes.
    Q_PROPERTY(ActivityHistory *activity READ activity CONSTANT)
    ActivityHistory *activity() const { return m_activity; }

    /// online | saturated | offline: in the simulation the backend really changes; in other
    /// modes the state is recorded (database, event log, record file).
    Q_INVOKABLE bool setBackendState(const QString &backendId, const QString &state);

    /// The session was attached or replaced.
    Q_SIGNAL void changed();

private:
    QPointer<Session> m_session;
    JobFilterModel *m_jobTable;
    BackendModel *m_backends;
    EventLogFilter *m_eventLog;
    ActivityHistory *m_activity;
};
