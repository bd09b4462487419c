#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;
class Session;
class TrackerTable;

/*!
 * The header's figures. Counts that scan every job are refreshed a few times a second (one
 * changed() for all of them), never per event.
 */
class Counters : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Counters(QObject *parent);
    static Counters *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// Jobs the trackers know.
    Q_PROPERTY(int jobCount READ jobCount NOTIFY changed)
    int jobCount() const;
    /// Workers the trackers know.
    Q_PROPERTY(int workerCount READ workerCount NOTIFY changed)
    int workerCount() const;
    /// Events per second, smoothed over the last refreshes.
    Q_PROPERTY(double eventsPerSecond READ eventsPerSecond NOTIFY changed)
    double eventsPerSecond() const { return m_eventsPerSecond; }
    // QML sees counts as numbers: Qt 6.4's tooling knows no qint64 properties.
    /// Events applied in this run.
    Q_PROPERTY(double events READ events NOTIFY changed)
    double events() const;
    /// Persisted backend switches.
    Q_PROPERTY(double switches READ switches NOTIFY changed)
    double switches() const;
    /// Writes that succeeded.
    Q_PROPERTY(double writesOk READ writesOk NOTIFY changed)
    double writesOk() const;
    /// Writes that failed.
    Q_PROPERTY(double writesFailed READ writesFailed NOTIFY changed)
    double writesFailed() const;
    /// Failed writes whose retry later succeeded.
    Q_PROPERTY(double retriesRecovered READ retriesRecovered NOTIFY changed)
    double retriesRecovered() const;
    /// Jobs whose last write failed and whose next event retries it.
    Q_PROPERTY(int retryPending READ retryPending NOTIFY changed)
    int retryPending() const { return m_retryPending; }
    /// Jobs whose database value differs from where they run.
    Q_PROPERTY(int staleJobs READ staleJobs NOTIFY changed)
    int staleJobs() const { return m_stale; }
    /// Input lines refused (replay, HTTP, the window).
    Q_PROPERTY(double badLines READ badLines NOTIFY changed)
    double badLines() const;

    Q_SIGNAL void changed();

private:
    void refresh();
    const TrackerTable *tracker() const;

    QPointer<Session> m_session;
    QTimer m_timer;
    QElapsedTimer m_rateClock;
    quint64 m_lastEvents = 0;
    double m_eventsPerSecond = 0;
    int m_retryPending = 0;
    int m_stale = 0;
};
