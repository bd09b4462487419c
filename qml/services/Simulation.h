#pragma once

#include <QObject>
#include <QPointer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class GatewaySim;
class QJSEngine;
class QQmlEngine;
class Session;

/*!
 * The simulation's controls: pause, speed, scenario presets and the seed. Outside a
 * simulation `available` is false and the setters do nothing.
 */
class Simulation : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Simulation(QObject *parent);
    static Simulation *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// True when this run is a simulation.
    Q_PROPERTY(bool available READ available NOTIFY configChanged)
    bool available() const { return sim(); }
    /// The simulated clock stands still (Space).
    Q_PROPERTY(bool paused READ isPaused WRITE setPaused NOTIFY changed)
    bool isPaused() const;
    void setPaused(bool paused);
    /// Simulated seconds per second.
    Q_PROPERTY(double speed READ speed WRITE setSpeed NOTIFY changed)
    double speed() const;
    void setSpeed(double speed);
    /// The running preset's name; "" when none.
    Q_PROPERTY(QString scenario READ scenario NOTIFY changed)
    QString scenario() const;
    /// [{name, label}] of the scenario presets.
    Q_PROPERTY(QVariantList scenarios READ scenarios CONSTANT)
    QVariantList scenarios() const;
    /// The seed (as a number: Qt 6.4's tooling knows no quint32 properties).
    Q_PROPERTY(double seed READ seed NOTIFY configChanged)
    double seed() const;

    Q_INVOKABLE bool runScenario(const QString &name);
    Q_INVOKABLE void stopScenario();

    /// Pause, speed or scenario changed.
    Q_SIGNAL void changed();
    /// The session was attached or replaced.
    Q_SIGNAL void configChanged();

private:
    GatewaySim *sim() const;

    QPointer<Session> m_session;
};
