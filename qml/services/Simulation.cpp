#include "Simulation.h"

#include "Services.h"
#include "session/Session.h"
#include "sim/GatewaySim.h"

Simulation::Simulation(QObject *parent) : QObject(parent) {}

Simulation *Simulation::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->simulation());
}

void Simulation::attach(Session *session)
{
    m_session = session;
    if (GatewaySim *s = sim()) {
        connect(s, &GatewaySim::pausedChanged, this, &Simulation::changed);
        connect(s, &GatewaySim::speedChanged, this, &Simulation::changed);
        connect(s, &GatewaySim::scenarioChanged, this, &Simulation::changed);
    }
    Q_EMIT configChanged();
    Q_EMIT changed();
}

GatewaySim *Simulation::sim() const
{
    return m_session ? m_session->sim() : nullptr;
}

bool Simulation::isPaused() const
{
    return sim() && sim()->isPaused();
}

void Simulation::setPaused(bool paused)
{
    if (GatewaySim *s = sim())
        s->setPaused(paused);
}

double Simulation::speed() const
{
    return sim() ? sim()->speed() : 1.0;
}

void Simulation::setSpeed(double speed)
{
    if (GatewaySim *s = sim())
        s->setSpeed(speed);
}

QString Simulation::scenario() const
{
    return sim() ? sim()->scenario() : QString();
}

QVariantList Simulation::scenarios() const
{
    return {QVariantMap{{QStringLiteral("name"), QStringLiteral("rolling-restart")},
                        {QStringLiteral("label"), tr("Rolling restart")}},
            QVariantMap{{QStringLiteral("name"), QStringLiteral("one-saturates")},
                        {QStringLiteral("label"), tr("One backend saturates")}},
            QVariantMap{{QStringLiteral("name"), QStringLiteral("flapping")},
                        {QStringLiteral("label"), tr("Flapping backend")}}};
}

double Simulation::seed() const
{
    return sim() ? double(sim()->options().seed) : 0.0;
}

bool Simulation::runScenario(const QString &name)
{
    return sim() && sim()->runScenario(name);
}

void Simulation::stopScenario()
{
    if (GatewaySim *s = sim())
        s->stopScenario();
}
