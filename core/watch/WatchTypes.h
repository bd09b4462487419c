#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

/// One row of the watched table as the watcher read it; `backend` null when unset.
struct WatchRow {
    QString job;
    QString worker;
    QString backend;
    bool operator==(const WatchRow &) const = default;
};
using WatchRows = QList<WatchRow>;

/// Where the watcher stands, for the header, /healthz and the headless line.
struct WatchStatus {
    enum class State {
        Connecting,   ///< the first connection is being made
        Live,         ///< connected; changes arrive by `method`
        Reconnecting, ///< the connection was lost; the display shows the last rows read
    };
    State state = State::Connecting;
    /// How changes arrive: "LISTEN/NOTIFY", "polling every 1000 ms (xmin)", …
    QString method;
    QStringList columns;   ///< as read: id, backend[, worker] (the worker column once found)
    QString error;         ///< why the connection was lost (no password in it)
    qint64 lastGoodMs = 0; ///< wall clock of the last successful read
    qint64 retryAtMs = 0;  ///< Reconnecting: wall clock of the next attempt
    bool operator==(const WatchStatus &) const = default;
};

Q_DECLARE_METATYPE(WatchRow)
Q_DECLARE_METATYPE(WatchStatus)
