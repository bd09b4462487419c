#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/// How long a scenario's phases last; defaults are long enough to watch at speed 1.
/// At namespace scope because GCC rejects `= {}` default arguments of a nested struct
/// with member initializers inside the enclosing class.
struct ScenarioTiming {
    double down = 8;      ///< rolling restart: each backend offline this long
    double gap = 4;       ///< rolling restart: pause before the next backend goes down
    double saturate = 15; ///< one-saturates: KV pressure this long
    double flapDown = 2;  ///< flapping: offline this long
    double flapUp = 4;    ///< flapping: then online this long
    int flapCycles = 5;
};

/*!
 * Scenario presets as timed steps on virtual time. A scenario only says what happens to
 * which backend and when; GatewaySim runs the steps from advance(), so tests replay a
 * scenario in milliseconds and a run with the same seed goes the same way every time.
 */
class Scenario {
public:
    enum class Kind { RollingRestart, OneSaturates, Flapping };
    enum class Action { Offline, Online, Pressure, Release };

    struct Step {
        double at = 0; ///< seconds after the scenario starts
        Action action = Action::Online;
        QString backendId;
    };

    using Timing = ScenarioTiming;

    /// "rolling-restart", "one-saturates", "flapping"; spaces, underscores and case are
    /// ignored so the UI may pass its labels ("Rolling restart").
    static std::optional<Kind> fromName(const QString &name);
    static QString name(Kind kind);
    static QStringList names();

    /// The steps of `kind`, sorted by time. `target` is the backend for the one-backend
    /// presets; the rolling restart takes `backendIds` in order.
    static QList<Step> steps(Kind kind, const QStringList &backendIds, const QString &target,
                             const Timing &timing = {});
};
