#include "Run.h"

#include "Services.h"
#include "session/Session.h"

Run::Run(QObject *parent) : QObject(parent) {}

Run *Run::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->run());
}

void Run::attach(Session *session)
{
    m_session = session;
    Q_EMIT changed();
}

TrackerTable *Run::tracker() const
{
    return m_session ? m_session->tracker() : nullptr;
}

ChangeFeed *Run::feed() const
{
    return m_session ? m_session->feed() : nullptr;
}

QString Run::mode() const
{
    return m_session ? m_session->modeName() : QString();
}

QString Run::modeLabel() const
{
    const QString m = mode();
    return m == QLatin1String("simulate") ? QStringLiteral("simulation") : m;
}

QString Run::database() const
{
    return m_session ? m_session->databaseText() : QString();
}

QString Run::ingest(const QString &jsonLine)
{
    if (!m_session)
        return tr("not started yet");
    QString error;
    if (!m_session->ingest(jsonLine.toUtf8(), &error))
        return error;
    return {};
}
