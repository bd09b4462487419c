#include "Watch.h"

#include "Services.h"
#include "session/Session.h"
#include "watch/WatchSource.h"

Watch::Watch(QObject *parent) : QObject(parent) {}

Watch *Watch::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->watch());
}

void Watch::attach(Session *session)
{
    m_session = session;
    connect(session, &Session::healthChanged, this, &Watch::connectionChanged,
            Qt::UniqueConnection);
    Q_EMIT configChanged();
    Q_EMIT connectionChanged();
}

const WatchSource *Watch::source() const
{
    return m_session ? m_session->watch() : nullptr;
}

QString Watch::connectionState() const
{
    const WatchSource *watch = source();
    if (!watch)
        return {};
    switch (watch->status().state) {
    case WatchStatus::State::Connecting:
        return QStringLiteral("connecting");
    case WatchStatus::State::Live:
        return QStringLiteral("live");
    case WatchStatus::State::Reconnecting:
        break;
    }
    return QStringLiteral("reconnecting");
}

QString Watch::connectionText() const
{
    const WatchSource *watch = source();
    if (!watch)
        return {};
    const WatchStatus &status = watch->status();
    return status.state == WatchStatus::State::Reconnecting ? status.error : status.method;
}

double Watch::lastReadMs() const
{
    const WatchSource *watch = source();
    return watch ? double(watch->status().lastGoodMs) : 0.0;
}

double Watch::retryAtMs() const
{
    const WatchSource *watch = source();
    return watch ? double(watch->status().retryAtMs) : 0.0;
}

QString Watch::table() const
{
    const WatchSource *watch = source();
    return watch ? watch->spec().displayName() : QString();
}

QString Watch::columns() const
{
    const WatchSource *watch = source();
    return watch ? watch->status().columns.join(QStringLiteral(", ")) : QString();
}
