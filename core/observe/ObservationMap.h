#pragma once

#include "observe/JsonPointer.h"
#include "observe/Observation.h"

#include <QJsonObject>
#include <QList>

#include <optional>

/*!
 * How any JSON object becomes an Observation: one RFC 6901 JSON Pointer (or a list of
 * them, the first present one wins) per field. Shared by `--observe` files,
 * `POST /ingest/litellm` and `POST /events` in watch mode.
 *
 * `--observe-map job=PTR,backend=PTR[,worker=PTR][,cacheKey=PTR][,ts=PTR]`; a key holding
 * a comma is written in the fragment form (`#/a%2Cb`).
 *
 * Values: strings as they are; integral numbers (at most 2^53) as decimal text, since
 * gateways log numeric ids and ports; anything else (fractions, booleans, objects,
 * arrays) does not map. Null, an absent field and "" count as absent: the next pointer of
 * the field is tried; a job or backend absent everywhere does not map, an absent worker is
 * no worker and an absent cache key is a miss. `ts`: an ISO 8601 string, or a number of
 * seconds since the epoch (fractions allowed, as LiteLLM's `startTime`). Ids must follow
 * the id rule (util/IdCheck.h).
 */
class ObservationMap {
public:
    enum class Field { Job, Backend, Worker, CacheKey, Ts };

    /// Parses `--observe-map`'s value; nullopt with an error naming the bad part.
    static std::optional<ObservationMap> parse(QStringView spec, QString *error);
    /// design.md's event lines: /job, /backend, /worker, /cacheKey, /ts.
    static ObservationMap eventLines();
    /// LiteLLM's StandardLoggingPayload: job /trace_id, backend /model_id else /api_base,
    /// cache key /cache_key, ts /startTime, no worker.
    static ObservationMap liteLlm();

    /// The observation `object` maps to, or nullopt with `error` saying why not
    /// ("job: nothing at /trace_id", "backend at /port is a boolean").
    std::optional<Observation> map(const QJsonObject &object, QString *error) const;

    const QList<JsonPointer> &pointers(Field field) const { return m_fields[int(field)]; }
    void setPointers(Field field, const QList<JsonPointer> &pointers);
    /// `job=/a,backend=/b|/c,...` (alternatives joined by '|', for messages only).
    QString toString() const;

    static QLatin1String fieldName(Field field);

private:
    QList<JsonPointer> m_fields[5];
};
