#pragma once

#include <QString>
#include <QtGlobal>

/// Per-job tracker state. Kept small: a million jobs must fit in well under 256 bytes each.
struct JobState {
    static constexpr quint32 None = 0xffffffffu;

    enum Flag : quint8 {
        EventWhileInFlight = 1 << 0, ///< an event arrived while a write was in flight
        FailedSinceSuccess = 1 << 1, ///< a write failed since the last successful one
        Changed = 1 << 2,            ///< queued in the tracker's change feed
        RetryScheduled = 1 << 3,     ///< a backoff retry is due at retryDueMs
        /// Watch mode: `observed` comes from observations (the gateway), no longer from
        /// the table; set by the job's first observation.
        Observed = 1 << 4,
    };

    quint32 current = None;  ///< persisted backend (what the database holds); the next hint
    quint32 observed = None; ///< backend of the latest event (watch mode: observation)
    quint32 inflight = None; ///< target of the write in flight, if any
    quint32 worker = None;
    quint32 consecutiveFailures = 0;
    quint32 totalFailures = 0;
    quint8 flags = 0;
    qint64 lastSwitchMs = 0; ///< when `current` last changed (0 = never in this run)
    qint64 retryDueMs = 0;
    qint64 observedAtMs = 0; ///< watch mode: when the latest observation was served (0: none)
    QString cacheKey;        ///< of the latest event; null = miss

    bool saving() const { return inflight != None; }
    bool stale() const { return observed != None && observed != current; }
    bool retryPending() const { return !saving() && consecutiveFailures > 0 && stale(); }
};
