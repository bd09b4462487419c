#include "Faults.h"

#include "Services.h"
#include "faults/FaultInjector.h"
#include "session/Session.h"

namespace {

QString scopeName(FaultSpec::Scope scope)
{
    switch (scope) {
    case FaultSpec::Scope::Job:
        return QStringLiteral("job");
    case FaultSpec::Scope::Worker:
        return QStringLiteral("worker");
    case FaultSpec::Scope::All:
        break;
    }
    return QStringLiteral("all");
}

} // namespace

Faults::Faults(QObject *parent) : QObject(parent)
{
    m_hitTimer.setInterval(250);
    connect(&m_hitTimer, &QTimer::timeout, this, &Faults::refreshHits);
}

Faults *Faults::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->faults());
}

void Faults::attach(Session *session)
{
    m_session = session;
    if (FaultInjector *faults = session->faults()) {
        connect(faults, &FaultInjector::faultsChanged, this, &Faults::changed);
        m_hitTimer.start();
    }
    Q_EMIT changed();
}

bool Faults::enabled() const
{
    return m_session && m_session->faults();
}

QString Faults::disabledReason() const
{
    if (!m_session)
        return tr("Starting…");
    if (!m_session->faults())
        return tr("Watch mode is read-only: Stickyboard never writes to an operator's "
                  "database, so there are no writes to fail.");
    return {};
}

QVariantList Faults::active() const
{
    QVariantList list;
    if (!enabled())
        return list;
    for (const FaultInjector::ActiveFault &f : m_session->faults()->activeFaults())
        list.append(QVariantMap{
            {QStringLiteral("spec"), f.spec.toString()},
            {QStringLiteral("kind"), f.spec.toString().section(u',', 0, 0).section(u'=', 0, 0)},
            {QStringLiteral("scope"), scopeName(f.spec.scope)},
            {QStringLiteral("scopeId"), f.spec.scopeId},
            {QStringLiteral("remaining"), f.remaining},
            {QStringLiteral("hits"), qint64(f.hits)}});
    return list;
}

QString Faults::apply(const QString &spec)
{
    if (!enabled())
        return disabledReason();
    QString error;
    if (!m_session->applyFault(spec, &error))
        return error;
    return {};
}

QString Faults::failNext(const QString &jobId, int count)
{
    if (jobId.contains(u','))
        return tr("job ids with a comma cannot be named in a fault spec");
    return apply(QStringLiteral("fail-next=%1,job=%2").arg(std::max(1, count)).arg(jobId));
}

void Faults::clear()
{
    apply(QStringLiteral("clear"));
}

void Faults::refreshHits()
{
    if (!enabled())
        return;
    quint64 hits = 0;
    for (const FaultInjector::ActiveFault &f : m_session->faults()->activeFaults())
        hits += f.hits;
    if (hits != m_hits) {
        m_hits = hits;
        Q_EMIT changed();
    }
}
