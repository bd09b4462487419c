#pragma once

#include <QString>

#include <optional>

/*!
 * One fault from `--fault`, a fault line or the UI: `KIND[,job=ID|,worker=ID]`.
 * Kinds: fail-next=N (N >= 1), fail-rate=P[,seed=S] (0 <= P <= 1, S a uint32),
 * latency-ms=M (0 <= M <= MaxLatencyMs), offline, online, clear. Scope defaults to all jobs; an id
 * is everything after `job=` / `worker=` up to the next ',' (only the whole text is trimmed).
 * `clear` takes no scope. What each kind does is described on FaultInjector.
 */
struct FaultSpec {
    enum class Kind { FailNext, FailRate, LatencyMs, Offline, Online, Clear };
    enum class Scope { All, Job, Worker };
    /// The longest latency a fault may add: ten minutes.
    static constexpr qint64 MaxLatencyMs = 600'000;

    Kind kind = Kind::Clear;
    qint64 count = 0;         ///< fail-next N, latency-ms M
    double probability = 0.0; ///< fail-rate P in [0, 1]
    std::optional<quint32> seed;
    Scope scope = Scope::All;
    QString scopeId; ///< job or worker id

    /// Parses `text`; on failure nullopt, with `error` naming the part that is wrong.
    static std::optional<FaultSpec> parse(const QString &text, QString *error);
    /// Canonical text, parseable again (used by --record and the UI).
    QString toString() const;
    bool sameScope(const FaultSpec &other) const
    {
        return scope == other.scope && scopeId == other.scopeId;
    }
    /// Field-wise; parse() leaves fields a kind does not use at their defaults.
    bool operator==(const FaultSpec &other) const = default;
};
