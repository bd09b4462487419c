#pragma once

#include <QtGlobal>

/*!
 * mulberry32, bit for bit as the common JavaScript version, so a seed gives the same
 * sequence here, in the simulation, the benchmark and any JS tooling that replays a run.
 * Tiny and inline on purpose: it sits on hot paths (one draw per write attempt or event).
 */
class Mulberry32 {
public:
    constexpr explicit Mulberry32(quint32 seed = 0) noexcept : m_state(seed) {}

    /// The next value in [0, 2^32).
    constexpr quint32 nextU32() noexcept
    {
        // Unsigned arithmetic wraps mod 2^32, which is what JS's `| 0` and Math.imul do.
        m_state += 0x6D2B79F5u;
        quint32 t = m_state;
        t = (t ^ (t >> 15)) * (1u | t);
        t = (t + (t ^ (t >> 7)) * (61u | t)) ^ t;
        return t ^ (t >> 14);
    }

    /// The next value in [0, 1): nextU32() / 2^32, exact in a double.
    constexpr double next() noexcept { return nextU32() / 4294967296.0; }

    constexpr quint32 state() const noexcept { return m_state; }

private:
    quint32 m_state;
};
