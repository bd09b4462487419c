#pragma once

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

#include "session/Session.h"

// Property types moc must see in full.
Q_MOC_INCLUDE("models/ActivityHistory.h")
Q_MOC_INCLUDE("models/BackendModel.h")
Q_MOC_INCLUDE("models/EventLogFilter.h")
Q_MOC_INCLUDE("models/JobFilterModel.h")
Q_MOC_INCLUDE("models/SwitchHistoryModel.h")

class ActivityHistory;
class BackendModel;
class ChangeFeed;
class EventLogFilter;
class JobFilterModel;
class QJSEngine;
class QQmlEngine;
class SwitchHistoryModel;
class TrackerTable;

/*!
 * Everything the window shows and every action it offers, as one QML singleton over a
 * Session: mode and database (never the password), header counters and sparklines, the
 * models (jobs, job table, backends, event log, a job's history), faults, backend controls
 * and simulation controls. QML only shows and calls; the rules live in C++.
 *
 * The app wires it (setInstance + attach) before loading QML; tests make a fresh one.
 */
class Dashboard : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

    // --- what this run is ----------------------------------------------------------------
    Q_PROPERTY(bool ready READ isReady NOTIFY configChanged)
    /// "simulate" | "replay" | "ingest" | "watch" (as in the report)
    Q_PROPERTY(QString mode READ mode NOTIFY configChanged)
    /// For people: "simulation" | "replay" | "ingest" | "watch"
    Q_PROPERTY(QString modeLabel READ modeLabel NOTIFY configChanged)
    /// The database URL without its password.
    Q_PROPERTY(QString database READ database NOTIFY configChanged)

    // --- watch mode's connection ------------------------------------------------------------
    /// "" (not watching) | "connecting" | "live" | "reconnecting"
    Q_PROPERTY(QString connectionState READ connectionState NOTIFY connectionChanged)
    /// Live: how changes arrive ("LISTEN/NOTIFY", "polling every 1000 ms (xmin)");
    /// reconnecting: what went wrong, without the password.
    Q_PROPERTY(QString connectionText READ connectionText NOTIFY connectionChanged)
    /// Wall clock (ms since the epoch) of the last successful read of the watched table.
    Q_PROPERTY(double lastReadMs READ lastReadMs NOTIFY connectionChanged)
    /// Reconnecting: wall clock of the next attempt.
    Q_PROPERTY(double retryAtMs READ retryAtMs NOTIFY connectionChanged)
    /// The watched table as people read it ("jobs", "ops.jobs").
    Q_PROPERTY(QString watchedTable READ watchedTable NOTIFY configChanged)
    /// Its columns as read: "id, last_backend_id, worker_id".
    Q_PROPERTY(QString watchedColumns READ watchedColumns NOTIFY connectionChanged)

    // --- models ------------------------------------------------------------------------
    /// Every job, one row each, in the order first seen (JobListModel roles).
    Q_PROPERTY(QAbstractItemModel *jobs READ jobs NOTIFY configChanged)
    /// The jobs, sortable and filterable (by text, backend and state).
    Q_PROPERTY(JobFilterModel *jobTable READ jobTable CONSTANT)
    /// One row per backend, in lane order.
    Q_PROPERTY(BackendModel *backends READ backends CONSTANT)
    /// The event log, newest first, filterable by kind and by job or worker text.
    Q_PROPERTY(EventLogFilter *eventLog READ eventLog CONSTANT)
    /// The selected job's timeline: persisted switches (from the database) and failed attempts.
    Q_PROPERTY(SwitchHistoryModel *history READ history CONSTANT)
    Q_PROPERTY(QString selectedJob READ selectedJob WRITE setSelectedJob NOTIFY selectedJobChanged)
    /// The selected job now: {job, worker, current, observed, cacheKey, persistState,
    /// failures, totalFailures, stale}; empty when none.
    Q_PROPERTY(QVariantMap selectedJobState READ selectedJobState NOTIFY selectedJobStateChanged)
    /// Sparkline data over the last minutes (ActivityHistory).
    Q_PROPERTY(ActivityHistory *activity READ activity CONSTANT)

    // --- header counters (refreshed a few times a second) ---------------------------------
    Q_PROPERTY(int jobCount READ jobCount NOTIFY countersChanged)
    Q_PROPERTY(int workerCount READ workerCount NOTIFY countersChanged)
    Q_PROPERTY(double eventsPerSecond READ eventsPerSecond NOTIFY countersChanged)
    Q_PROPERTY(double events READ eventsValue NOTIFY countersChanged)
    Q_PROPERTY(double switches READ switchesValue NOTIFY countersChanged)
    Q_PROPERTY(double writesOk READ writesOkValue NOTIFY countersChanged)
    Q_PROPERTY(double writesFailed READ writesFailedValue NOTIFY countersChanged)
    Q_PROPERTY(double retriesRecovered READ retriesRecoveredValue NOTIFY countersChanged)
    Q_PROPERTY(int retryPending READ retryPending NOTIFY countersChanged)
    Q_PROPERTY(int staleJobs READ staleJobs NOTIFY countersChanged)
    Q_PROPERTY(double badLines READ badLinesValue NOTIFY countersChanged)

    // --- faults ----------------------------------------------------------------------------
    Q_PROPERTY(bool faultsEnabled READ faultsEnabled NOTIFY configChanged)
    /// Why faults cannot be injected (watch mode); empty when they can.
    Q_PROPERTY(QString faultsDisabledReason READ faultsDisabledReason NOTIFY configChanged)
    /// [{spec, kind, scope ("all"|"job"|"worker"), scopeId, remaining (-1: n/a), hits}]
    Q_PROPERTY(QVariantList activeFaults READ activeFaults NOTIFY faultsChanged)

    // --- simulation ------------------------------------------------------------------------
    Q_PROPERTY(bool simulation READ hasSimulation NOTIFY configChanged)
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY simulationChanged)
    Q_PROPERTY(double speed READ speed WRITE setSpeed NOTIFY simulationChanged)
    Q_PROPERTY(QString scenario READ scenario NOTIFY simulationChanged)
    /// [{name, label}] of the scenario presets.
    Q_PROPERTY(QVariantList scenarios READ scenarios CONSTANT)
    Q_PROPERTY(double seed READ seedValue NOTIFY configChanged)

public:
    // Not default-constructible on purpose: Qt 6.4 prefers a default constructor over
    // create() for singletons, and QML must get the instance the app wired.
    explicit Dashboard(QObject *parent);
    ~Dashboard() override;

    /// The instance QML gets; the app (or a test) sets it before loading QML.
    static Dashboard *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(Dashboard *dashboard);

    /// Shows `session` (which must outlive this or be detached first). Call after
    /// Session::ready().
    void attach(Session *session);

    // C++ side, for items that draw (PetField) and for tests.
    Session *session() const { return m_session; }
    TrackerTable *tracker() const;
    ChangeFeed *feed() const;

    bool isReady() const { return m_session; }
    QString mode() const;
    QString modeLabel() const;
    QString database() const;

    QAbstractItemModel *jobs() const;
    JobFilterModel *jobTable() const { return m_jobTable; }
    BackendModel *backends() const { return m_backends; }
    EventLogFilter *eventLog() const { return m_eventLog; }
    SwitchHistoryModel *history() const { return m_history; }
    ActivityHistory *activity() const { return m_activity; }
    QString selectedJob() const { return m_selectedJob; }
    void setSelectedJob(const QString &jobId);
    QVariantMap selectedJobState() const;

    int jobCount() const;
    int workerCount() const;
    double eventsPerSecond() const { return m_eventsPerSecond; }
    qint64 events() const;
    qint64 switches() const;
    qint64 writesOk() const;
    qint64 writesFailed() const;
    qint64 retriesRecovered() const;
    int retryPending() const { return m_retryPending; }
    int staleJobs() const { return m_stale; }
    qint64 badLines() const;

    QString connectionState() const;
    QString connectionText() const;
    double lastReadMs() const;
    double retryAtMs() const;
    QString watchedTable() const;
    QString watchedColumns() const;

    bool faultsEnabled() const;
    QString faultsDisabledReason() const;
    QVariantList activeFaults() const;

    bool hasSimulation() const;
    bool isPaused() const;
    void setPaused(bool paused);
    double speed() const;
    void setSpeed(double speed);
    QString scenario() const;
    QVariantList scenarios() const;
    quint32 seed() const;
    // QML sees counters as numbers: Qt 6.4's tooling knows no qint64/quint32 properties.
    double eventsValue() const { return double(events()); }
    double switchesValue() const { return double(switches()); }
    double writesOkValue() const { return double(writesOk()); }
    double writesFailedValue() const { return double(writesFailed()); }
    double retriesRecoveredValue() const { return double(retriesRecovered()); }
    double badLinesValue() const { return double(badLines()); }
    double seedValue() const { return double(seed()); }

    /// Applies a fault spec (design.md "Faults"); returns "" or the error message.
    Q_INVOKABLE QString applyFault(const QString &spec);
    /// The job's next `count` writes fail.
    Q_INVOKABLE QString failNext(const QString &jobId, int count = 1);
    Q_INVOKABLE void clearFaults();
    /// online | saturated | offline: in the simulation the backend really changes; in other
    /// modes the state is recorded (database, event log, record file).
    Q_INVOKABLE bool setBackendState(const QString &backendId, const QString &state);
    Q_INVOKABLE bool runScenario(const QString &name);
    Q_INVOKABLE void stopScenario();
    /// Applies one JSONL event line as a source would; returns "" or the error message.
    Q_INVOKABLE QString ingest(const QString &jsonLine);

    /// Remembered options (QSettings), for QML: view mode, theme, panel visibility, …
    Q_INVOKABLE QVariant setting(const QString &key, const QVariant &fallback = {}) const;
    Q_INVOKABLE void setSetting(const QString &key, const QVariant &value);

Q_SIGNALS:
    void configChanged();
    void connectionChanged();
    void countersChanged();
    void faultsChanged();
    void simulationChanged();
    void selectedJobChanged();
    void selectedJobStateChanged();

private:
    void refreshCounters();

    QPointer<Session> m_session;
    JobFilterModel *m_jobTable;
    BackendModel *m_backends;
    EventLogFilter *m_eventLog;
    SwitchHistoryModel *m_history;
    ActivityHistory *m_activity;
    QString m_selectedJob;
    QTimer m_counterTimer;
    QElapsedTimer m_rateClock;
    quint64 m_lastEvents = 0;
    double m_eventsPerSecond = 0;
    int m_retryPending = 0;
    int m_stale = 0;
    quint64 m_faultHits = 0;
};
