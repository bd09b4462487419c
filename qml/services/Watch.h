#pragma once

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;
class Session;
class WatchSource;

/*!
 * Watch mode's connection to the operator's database, as the banner and the details panel
 * show it: never a stale picture without saying so. Empty outside watch mode.
 */
class Watch : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Watch(QObject *parent);
    static Watch *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// True in watch mode.
    Q_PROPERTY(bool active READ active NOTIFY configChanged)
    bool active() const { return source(); }
    /// "" (not watching) | "connecting" | "live" | "reconnecting"
    Q_PROPERTY(QString connectionState READ connectionState NOTIFY connectionChanged)
    QString connectionState() const;
    /// Live: how changes arrive ("LISTEN/NOTIFY", "polling every 1000 ms (xmin)");
    /// reconnecting: what went wrong, without the password.
    Q_PROPERTY(QString connectionText READ connectionText NOTIFY connectionChanged)
    QString connectionText() const;
    /// Wall clock (ms since the epoch) of the last successful read of the watched table.
    Q_PROPERTY(double lastReadMs READ lastReadMs NOTIFY connectionChanged)
    double lastReadMs() const;
    /// Reconnecting: wall clock of the next attempt.
    Q_PROPERTY(double retryAtMs READ retryAtMs NOTIFY connectionChanged)
    double retryAtMs() const;
    /// The watched table as people read it ("jobs", "ops.jobs").
    Q_PROPERTY(QString table READ table NOTIFY configChanged)
    QString table() const;
    /// Its columns as read: "id, last_backend_id, worker_id".
    Q_PROPERTY(QString columns READ columns NOTIFY connectionChanged)
    QString columns() const;

    Q_SIGNAL void configChanged();
    Q_SIGNAL void connectionChanged();

private:
    const WatchSource *source() const;

    QPointer<Session> m_session;
};
