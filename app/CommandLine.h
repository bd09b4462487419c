#pragma once

#include "http/ListenAddress.h"
#include "session/Session.h"
#include "watch/WatchSpec.h"

#include <QString>
#include <QStringList>

#include <optional>

/// Everything `stickyboard` takes on its command line, parsed and checked.
struct CommandLine {
    /// Longest --duration and --quit-after: ten years of 365.25 days, in seconds.
    static constexpr double MaxSeconds = 10 * 365.25 * 86'400;

    QString db; ///< --db URL; empty = the default SQLite file
    bool headless = false;
    double durationS = 0; ///< 0 = until Ctrl-C
    quint32 seed = 42;
    int jobs = 24;
    int workers = 12;
    int backends = 4;
    double rate = 2.0; ///< events per second per running job
    QStringList faults;
    QString replay;   ///< --replay FILE ("-" = stdin); empty = simulation
    double speed = 0; ///< --speed: 0 = lock-step
    QString record;
    QString report;
    QString screenshot;
    double quitAfterS = 0;
    bool verbose = false;
    QString watch; ///< --watch URL; empty = not watching
    WatchSpec watchSpec;
    std::optional<ListenAddress> listen; ///< --listen HOST:PORT
    QString listenToken;        ///< from --listen-token-file, the environment or --listen-token
    QStringList listenOrigins;  ///< --listen-origin, normalized
    QStringList listenNames;    ///< --listen-name
    qint64 maxJobs = 2'000'000; ///< --max-jobs
    qint64 maxBackends = 1'000; ///< --max-backends
    double staleAfterS = 10;    ///< --stale-after
    QStringList observeFiles;   ///< --observe
    QString observeMap;         ///< --observe-map (checked)
    bool observeFromStart = false;
    QString history;     ///< --history PATH|none; empty: the default file
    int historyDays = 7; ///< --history-days

    /// The run these options describe.
    Session::Options sessionOptions() const;

    /// Parses `arguments` (argv). On --help/--version prints and sets `exitCode` 0; on bad
    /// usage prints a message naming the option to stderr and sets `exitCode` 2.
    static std::optional<CommandLine> parse(const QStringList &arguments, int *exitCode);
};
