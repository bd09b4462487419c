#include "Watch.h"

#include "Services.h"
#include "observe/ObservationIntake.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchSource.h"

#include <QDateTime>

Watch::Watch(QObject *parent) : QObject(parent)
{
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &Watch::refresh);
}

Watch *Watch::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->watch());
}

void Watch::attach(Session *session)
{
    m_session = session;
    connect(session, &Session::healthChanged, this, &Watch::connectionChanged,
            Qt::UniqueConnection);
    m_attachedMs = QDateTime::currentMSecsSinceEpoch();
    if (session->watch())
        m_timer.start();
    Q_EMIT configChanged();
    Q_EMIT connectionChanged();
    refresh();
}

double Watch::staleAfterS() const
{
    const TrackerTable *t = m_session ? m_session->tracker() : nullptr;
    return t && t->watchesStaleness() ? double(t->options().staleAfterMs) / 1000.0 : 0.0;
}

QString Watch::ageText(double sinceMs) const
{
    return formatAge(qint64(m_now - sinceMs) / 1000);
}

QString Watch::formatAge(qint64 seconds, bool compact)
{
    const qint64 s = std::max<qint64>(0, seconds);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min").arg(s / 60);
    return compact ? tr("%1 h").arg(s / 3600) : tr("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60);
}

void Watch::refresh()
{
    const TrackerTable *t = m_session ? m_session->tracker() : nullptr;
    if (!t || !t->watchesStaleness())
        return;
    const Staleness &staleness = t->staleness();
    const qint64 now = staleness.now();
    m_now = double(now);
    m_stale = int(staleness.staleCount(now));
    m_pending = int(staleness.pendingCount(now));
    m_oldestStaleSinceMs = double(staleness.oldestStaleSinceMs(now));
    m_recovered = double(t->counters().staleRecovered);

    // Input health: lines/s over the last refresh; quiet when nothing came for a minute (for
    // an input that never delivered a line, a minute since the watch began).
    const qint64 wall = QDateTime::currentMSecsSinceEpoch();
    const double seconds = m_lastRefreshMs > 0 ? double(wall - m_lastRefreshMs) / 1000.0 : 0;
    m_lastRefreshMs = wall;
    m_inputs.clear();
    m_quietInputs = 0;
    const ObservationIntake *intake = m_session->observations();
    const QList<ObservationIntake::Input> inputs =
        intake ? intake->inputs() : QList<ObservationIntake::Input>();
    for (const ObservationIntake::Input &input : inputs) {
        const quint64 before = m_lastLines.value(input.name, input.lines);
        m_lastLines.insert(input.name, input.lines);
        const qint64 last = input.lastLineMs > 0 ? input.lastLineMs : m_attachedMs;
        const bool quiet = wall - last >= qint64(QuietAfterS) * 1000;
        m_quietInputs += quiet;
        m_inputs.append(QVariantMap{{QStringLiteral("name"), input.name},
                                    {QStringLiteral("kind"), input.kind},
                                    {QStringLiteral("lines"), double(input.lines)},
                                    {QStringLiteral("badLines"), double(input.badLines)},
                                    {QStringLiteral("lastLineMs"), double(input.lastLineMs)},
                                    {QStringLiteral("linesPerSecond"),
                                     seconds > 0 ? double(input.lines - before) / seconds : 0.0},
                                    {QStringLiteral("quiet"), quiet}});
    }
    Q_EMIT figuresChanged();
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
