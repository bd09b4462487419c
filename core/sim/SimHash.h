#pragma once

#include <QString>
#include <QStringView>

/*!
 * Stable hashes for the simulation. qHash is seeded per process, so anything that
 * decides routing or names a cache key uses these instead: the same seed must give the
 * same run in every process.
 */
namespace SimHash {

/// FNV-1a over the UTF-16 code units, finished with the splitmix64 mixer so that strings
/// differing only in their last characters still spread over all 64 bits.
inline quint64 of(QStringView a, QStringView b = {}, quint64 salt = 0) noexcept
{
    quint64 h = 0xcbf29ce484222325ull ^ salt;
    const auto eat = [&h](QStringView s) {
        for (const QChar c : s) {
            h ^= c.unicode();
            h *= 0x100000001b3ull;
        }
    };
    eat(a);
    h ^= 0x1f; // separator: ("ab","c") and ("a","bc") differ
    h *= 0x100000001b3ull;
    eat(b);
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    return h ^ (h >> 31);
}

/// Rendezvous (highest random weight) score of a backend for a job. Ranking backends by
/// it means removing one backend only moves the jobs that ranked it first.
inline quint64 rendezvous(QStringView jobId, QStringView backendId) noexcept
{
    return of(jobId, backendId);
}

/// A prefix-cache key, stable for the job on that backend until the backend loses its
/// cache (`epoch` changes on restart).
inline QString cacheKey(QStringView jobId, QStringView backendId, quint32 epoch)
{
    return QStringLiteral("kv-%1").arg(of(jobId, backendId, epoch) & 0xffffffffull, 8, 16,
                                       QLatin1Char('0'));
}

} // namespace SimHash
