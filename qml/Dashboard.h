#pragma once

#include <QAbstractItemModel>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;
class TrackerTable;
class ChangeFeed;

/*!
 * What the window shows, as one QML singleton: the mode, the database (without password),
 * the header counters and the models. The app wires it before loading QML; tests make a
 * fresh one.
 */
class Dashboard : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON
    Q_PROPERTY(QString mode READ mode NOTIFY configChanged)
    Q_PROPERTY(QString database READ database NOTIFY configChanged)
    Q_PROPERTY(QAbstractItemModel *jobs READ jobs NOTIFY configChanged)
    Q_PROPERTY(int jobCount READ jobCount NOTIFY countersChanged)
    Q_PROPERTY(double eventsPerSecond READ eventsPerSecond NOTIFY countersChanged)
    Q_PROPERTY(qint64 events READ events NOTIFY countersChanged)
    Q_PROPERTY(qint64 switches READ switches NOTIFY countersChanged)
    Q_PROPERTY(qint64 writesOk READ writesOk NOTIFY countersChanged)
    Q_PROPERTY(qint64 writesFailed READ writesFailed NOTIFY countersChanged)
    Q_PROPERTY(int retryPending READ retryPending NOTIFY countersChanged)
    Q_PROPERTY(int staleJobs READ staleJobs NOTIFY countersChanged)

public:
    // Not default-constructible on purpose: Qt 6.4 prefers a default constructor over
    // create() for singletons, and QML must get the instance the app wired.
    explicit Dashboard(QObject *parent);

    /// The instance QML gets; the app sets it before loading QML.
    static Dashboard *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);
    static void setInstance(Dashboard *dashboard);

    void attach(TrackerTable *tracker, ChangeFeed *feed, QAbstractItemModel *jobs,
                const QString &mode, const QString &database);

    QString mode() const { return m_mode; }
    QString database() const { return m_database; }
    QAbstractItemModel *jobs() const { return m_jobs; }
    int jobCount() const;
    double eventsPerSecond() const { return m_eventsPerSecond; }
    qint64 events() const;
    qint64 switches() const;
    qint64 writesOk() const;
    qint64 writesFailed() const;
    int retryPending() const { return m_retryPending; }
    int staleJobs() const { return m_stale; }

Q_SIGNALS:
    void configChanged();
    void countersChanged();

private:
    void refreshCounters();

    QPointer<TrackerTable> m_tracker;
    QPointer<QAbstractItemModel> m_jobs;
    QString m_mode = QStringLiteral("simulation");
    QString m_database;
    QTimer m_counterTimer;
    QElapsedTimer m_rateClock;
    quint64 m_lastEvents = 0;
    double m_eventsPerSecond = 0;
    int m_retryPending = 0;
    int m_stale = 0;
};
