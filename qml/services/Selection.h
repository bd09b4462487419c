#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("models/SwitchHistoryModel.h")

class QJSEngine;
class QQmlEngine;
class Session;
class SwitchHistoryModel;

/*!
 * The job the detail panel shows (picked on a pet or a row): its state now, kept fresh once
 * per frame at most, and its timeline of persisted switches and failed attempts.
 */
class Selection : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Selection(QObject *parent);
    ~Selection() override;
    static Selection *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// The selected job's id; "" when none.
    Q_PROPERTY(QString job READ job WRITE setJob NOTIFY jobChanged)
    QString job() const { return m_job; }
    void setJob(const QString &jobId);
    /// The selected job now: {job, worker, current, observed, cacheKey, persistState,
    /// failures, totalFailures, stale; watch mode: observedAt, staleSince (ms since the
    /// epoch, 0: none)}; empty when none.
    Q_PROPERTY(QVariantMap state READ state NOTIFY stateChanged)
    QVariantMap state() const;
    /// Its timeline: persisted switches (from the database) and failed attempts.
    Q_PROPERTY(SwitchHistoryModel *history READ history CONSTANT)
    SwitchHistoryModel *history() const { return m_history; }

    Q_SIGNAL void jobChanged();
    Q_SIGNAL void stateChanged();

private:
    QPointer<Session> m_session;
    QMetaObject::Connection m_feedConnection;
    SwitchHistoryModel *m_history;
    QString m_job;
};
