#include "sim/Scenario.h"

#include <utility>

std::optional<Scenario::Kind> Scenario::fromName(const QString &name)
{
    QString n = name.trimmed().toLower();
    n.replace(QLatin1Char(' '), QLatin1Char('-')).replace(QLatin1Char('_'), QLatin1Char('-'));
    // The long forms are how the design and the UI word the presets.
    static const std::pair<QLatin1String, Kind> known[] = {
        {QLatin1String("rolling-restart"), Kind::RollingRestart},
        {QLatin1String("one-saturates"), Kind::OneSaturates},
        {QLatin1String("one-backend-saturates"), Kind::OneSaturates},
        {QLatin1String("flapping"), Kind::Flapping},
        {QLatin1String("flapping-backend"), Kind::Flapping},
    };
    for (const auto &[text, kind] : known) {
        if (n == text)
            return kind;
    }
    return std::nullopt;
}

QString Scenario::name(Kind kind)
{
    switch (kind) {
    case Kind::RollingRestart:
        return QStringLiteral("rolling-restart");
    case Kind::OneSaturates:
        return QStringLiteral("one-saturates");
    case Kind::Flapping:
        return QStringLiteral("flapping");
    }
    return {};
}

QStringList Scenario::names()
{
    return {name(Kind::RollingRestart), name(Kind::OneSaturates), name(Kind::Flapping)};
}

QList<Scenario::Step> Scenario::steps(Kind kind, const QStringList &backendIds,
                                      const QString &target, const Timing &timing)
{
    QList<Step> out;
    switch (kind) {
    case Kind::RollingRestart: {
        // One at a time, like a deploy: the fleet never loses more than one backend.
        double t = 0;
        for (const QString &id : backendIds) {
            out.append({t, Action::Offline, id});
            out.append({t + timing.down, Action::Online, id});
            t += timing.down + timing.gap;
        }
        break;
    }
    case Kind::OneSaturates:
        // KV pressure from outside (a noisy neighbour, a long-context burst) rather than a
        // manual flag, so the backend's own hysteresis decides when it is usable again.
        out.append({0, Action::Pressure, target});
        out.append({timing.saturate, Action::Release, target});
        break;
    case Kind::Flapping: {
        double t = 0;
        for (int i = 0; i < timing.flapCycles; ++i) {
            out.append({t, Action::Offline, target});
            out.append({t + timing.flapDown, Action::Online, target});
            t += timing.flapDown + timing.flapUp;
        }
        break;
    }
    }
    return out;
}
