#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;
class Session;

/*!
 * Fault injection from the window (design.md "Faults"): apply a spec, fail a job's next
 * writes, clear them all, and the active faults with their remaining counts and hits.
 */
class Faults : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Faults(QObject *parent);
    static Faults *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// False where there are no writes to fail (watch mode) or before the session is ready.
    Q_PROPERTY(bool enabled READ enabled NOTIFY changed)
    bool enabled() const;
    /// Why faults cannot be injected; empty when they can.
    Q_PROPERTY(QString disabledReason READ disabledReason NOTIFY changed)
    QString disabledReason() const;
    /// [{spec, kind, scope ("all"|"job"|"worker"), scopeId, remaining (-1: n/a), hits}]
    Q_PROPERTY(QVariantList active READ active NOTIFY changed)
    QVariantList active() const;

    /// Applies a fault spec; returns "" or the error message.
    Q_INVOKABLE QString apply(const QString &spec);
    /// The job's next `count` writes fail.
    Q_INVOKABLE QString failNext(const QString &jobId, int count = 1);
    Q_INVOKABLE void clear();

    Q_SIGNAL void changed();

private:
    void refreshHits();

    QPointer<Session> m_session;
    /// Hit counts change on every write in scope; the injector only announces set changes.
    QTimer m_hitTimer;
    quint64 m_hits = 0;
};
