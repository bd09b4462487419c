#pragma once

#include <QByteArray>
#include <QString>

#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;

// A broken invariant is a crash libFuzzer keeps (with the input that caused it).
#define FUZZ_ASSERT(condition, what)                                                               \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz invariant broken: %s: %s\n", #condition,                    \
                         QString(what).toUtf8().constData());                                      \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

inline QString fuzzText(const uint8_t *data, size_t size)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
}
