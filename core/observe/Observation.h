#pragma once

#include <QString>
#include <QtGlobal>

/*!
 * "Job J (worker W) was just served by backend B (cache key K, or a miss)", as a gateway
 * saw it. In watch mode it moves the job's observed backend and cache state only; it
 * never writes anywhere.
 */
struct Observation {
    QString job;
    QString worker; ///< null: not known
    QString backend;
    QString cacheKey; ///< null: a miss (or not known); "" is a key
    qint64 tsMs = 0;  ///< when the gateway served it (ms since the epoch); 0: not given

    bool operator==(const Observation &other) const
    {
        return job == other.job && worker == other.worker && backend == other.backend &&
               cacheKey.isNull() == other.cacheKey.isNull() && cacheKey == other.cacheKey &&
               tsMs == other.tsMs;
    }
};
