#pragma once

#include <QList>

#include <algorithm>
#include <cmath>

/// The nearest-rank percentile `p` (0–100) of `values`; 0 when there are none.
inline double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const auto rank = qsizetype(std::ceil(p / 100.0 * double(values.size()))) - 1;
    return values.at(std::clamp<qsizetype>(rank, 0, values.size() - 1));
}
