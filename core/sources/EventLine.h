#pragma once

#include "faults/FaultSpec.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <optional>

/*!
 * One JSONL line of replay, record and HTTP ingest (design.md, "Event lines"):
 *
 *     {"type":"event","job":"j1","worker":"w1","backend":"b2","cacheKey":"k9"}
 *     {"type":"fault","spec":"fail-next=2,job=j1"}
 *     {"type":"backend","backend":"b2","state":"offline"}
 *
 * `type` defaults to "event"; `cacheKey` null or absent means a cache miss; an optional
 * `ts` (ISO 8601) is kept as given and parsed for pacing. Unknown keys are ignored so
 * newer writers can add fields. A line that breaks a rule is rejected with an error a
 * person can act on ("missing job", "invalid UTF-8 at byte 12", ...).
 */
struct EventLine {
    enum class Type { Event, Fault, Backend };

    /// Longest accepted line, in bytes without the line break. Longer ones are bad lines.
    static constexpr qsizetype MaxLineBytes = qsizetype(1024) * 1024;

    Type type = Type::Event;
    QString job;      ///< event
    QString worker;   ///< event
    QString backend;  ///< event, backend
    QString cacheKey; ///< event; null = miss (an empty string is a key, not a miss)
    FaultSpec fault;  ///< fault
    QString state;    ///< backend: online | saturated | offline
    QString ts;       ///< as given; null when absent
    QDateTime time;   ///< `ts` parsed; invalid when absent

    static EventLine event(const QString &job, const QString &worker, const QString &backend,
                           const QString &cacheKey = {});
    static EventLine faultLine(const FaultSpec &spec);
    static EventLine backendLine(const QString &backend, const QString &state);

    /// Parses one line (without or with its trailing "\n" / "\r\n"). On failure nullopt,
    /// with `error` saying what is wrong. Blank lines are errors here: readers skip them.
    static std::optional<EventLine> parse(QByteArrayView bytes, QString *error);
    /// True for lines with nothing but spaces, tabs and line-break characters.
    static bool isBlank(QByteArrayView bytes);
    static bool isBackendState(QStringView state);
    static QLatin1String typeName(Type type);

    /// Sets `ts` (UTC, ISO 8601 with milliseconds) and `time`.
    void setTime(const QDateTime &at);
    /// Compact JSON, one line, no line break; parse(toJson()) == *this.
    QByteArray toJson() const;

    /// Field-wise; a null cacheKey (miss) differs from an empty one.
    bool operator==(const EventLine &other) const;
};
