#pragma once

#include <QFile>

/// A line of /proc/self/status ("VmRSS", "VmHWM") in MiB; 0 where there is none.
inline double procStatusMb(const char *field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray key = QByteArray(field) + ':';
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(key))
            return line.mid(key.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    return 0;
}

inline double peakRssMb()
{
    return procStatusMb("VmHWM");
}

inline double currentRssMb()
{
    return procStatusMb("VmRSS");
}
