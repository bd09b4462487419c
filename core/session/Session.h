#pragma once

#include "store/DbUrl.h"
#include "watch/WatchSpec.h"

#include <QFuture>
#include <QStringList>

#include <QObject>

#include <memory>

class ChangeFeed;
class EventDispatcher;
class EventLogModel;
class EventSource;
class FaultInjector;
class GatewaySim;
class JobListModel;
class JobStore;
class HistoryStore;
class LongTimer;
class ObservationIntake;
class QTimer;
class RecordWriter;
class PersistTarget;
class TrackerTable;
class WatchSource;
struct Report;

/*!
 * One run of Stickyboard: the store, the fault injector on the persist seam, the trackers,
 * the event source (simulation or replay), the recorder and the models, wired as design.md
 * draws them. Starting and stopping are asynchronous: nothing here waits on the database.
 */
class Session : public QObject {
    Q_OBJECT
public:
    /// Simulate: the gateway simulation; Replay: a JSONL file; Ingest: no source of its own,
    /// events arrive through ingest() (HTTP, the UI, tests); Watch: read-only over an
    /// existing jobs table (`--watch`), nothing is ever written and ingest() is refused.
    enum class Mode { Simulate, Replay, Ingest, Watch };

    /// What a run is made of; the app fills it from the command line.
    struct Options {
        Mode mode = Mode::Simulate;
        quint32 seed = 42;
        int jobs = 24;
        int workers = 12;
        int backends = 4;
        double rate = 2.0;
        double durationS = 0; ///< simulation: stop after this many simulated seconds
        QStringList faults;
        QString replay; ///< file or "-"
        double speed = 0;
        QString record;
        QString report;
        WatchSpec watch; ///< watch mode: the table, its columns and the poll interval
        /// New ids past these are refused (`--max-jobs`, `--max-backends`); the simulation
        /// raises them to its own --jobs / --backends.
        qint64 maxJobs = 2'000'000;
        qint64 maxBackends = 1'000;
        /// Watch mode (issue 12): observed != table for longer than this makes a job stale.
        double staleAfterS = 10;
        QStringList observeFiles; ///< `--observe`, followed like `tail -F` ("-": stdin)
        QString observeMap;       ///< `--observe-map` (validated); empty: event lines
        bool observeFromStart = false;
        QString history; ///< `--history`: empty = HistoryStore::defaultPath(); "none": none
        int historyDays = 7;
    };

    Session(const Options &options, const DbUrl &url, QObject *parent = nullptr);
    ~Session() override;

    /// Checks the inputs, opens the database, loads the snapshot into the trackers, starts
    /// the source. Emits ready() or failed().
    void start();
    /// How long shutdown() waits for the writes to settle and the report to be read.
    static constexpr int SettleTimeoutMs = 10'000;

    /*!
     * The one way a run ends, whatever asked for it: stops the source (ingest() and
     * applyFault() refuse from now on), releases writes held by latency faults, lets every
     * write settle, closes the record, writes the report, then emits finished(). When the
     * database was never reached, or the writes and the report do not settle within
     * SettleTimeoutMs, it emits failed() with exit code 3 and abandoned() is true.
     */
    void shutdown();
    /// True from the first shutdown() on: sources are stopped, new events are refused.
    bool stopping() const { return m_stopping; }
    /// Gives up on what has not settled (a second Ctrl-C): closes the record and returns how
    /// many writes were left unsettled. abandoned() is true afterwards.
    qsizetype abandon();
    /// The store or the watched database may still be busy (a write or a connect that never
    /// returns): the process must exit without waiting for them.
    bool abandoned() const { return m_abandoned; }

    Mode mode() const { return m_mode; }
    /// As the report and the header name it: "simulate" | "replay" | "ingest".
    QString modeName() const;
    QString databaseText() const { return m_url.redacted(); }
    TrackerTable *tracker() const { return m_tracker.get(); }
    ChangeFeed *feed() const { return m_feed.get(); }
    JobListModel *jobs() const { return m_jobs.get(); }
    EventLogModel *eventLog() const { return m_eventLog.get(); }
    FaultInjector *faults() const { return m_faults.get(); }
    EventDispatcher *dispatcher() const { return m_dispatcher.get(); }
    GatewaySim *sim() const { return m_sim.get(); }
    JobStore *store() const { return m_store.get(); }
    qint64 badLines() const;

    /// The report as `--report` writes it, read from the database now (settles on this
    /// object's thread). In watch mode `db` comes from the watched table.
    QFuture<Report> collectReport();
    /// Empty while everything works; otherwise a sentence saying what does not (e.g. the
    /// watched database is unreachable), for /healthz and the header.
    QString healthProblem() const;

    /// Watch mode's source (status, table); null in other modes.
    WatchSource *watch() const { return m_watch; }
    /// Watch mode's own history (`--history`); null in other modes, with `--history none`,
    /// or while its file could not be opened.
    HistoryStore *history() const { return m_history.get(); }
    /// Watch mode's observations (HTTP, LiteLLM, --observe files); null in other modes.
    ObservationIntake *observations() const { return m_observations.get(); }

    /// Applies a fault from the UI or the command line, and records it.
    bool applyFault(const QString &spec, QString *error);
    /// Applies one JSONL event line (design.md) as if a source had sent it; false with
    /// `error` for a bad line.
    bool ingest(const QByteArray &line, QString *error);
    /// online | saturated | offline. In the simulation the backend really changes; in other
    /// modes the operator's word is recorded like a backend line (database, event log,
    /// record file). False for another state or an unknown simulated backend.
    bool setBackendState(const QString &backendId, const QString &state);
    /// True when the source knows which jobs run right now (the simulation does); then
    /// runningJobs() lists them and jobStarted()/jobFinished() follow them.
    bool knowsRunningJobs() const { return m_sim != nullptr; }
    QStringList runningJobs() const;

Q_SIGNALS:
    void ready();
    /// Watch mode: the connection's state changed (see watch()->status()).
    void healthChanged();
    /// Startup or shutdown failed; `exitCode` 2 for bad input, 3 for the database.
    void failed(const QString &message, int exitCode);
    /// A replay reached the end of its input, every write settled.
    void sourceFinished();
    /// A job started or finished running (sources that knowsRunningJobs()).
    void jobStarted(const QString &jobId);
    void jobFinished(const QString &jobId);
    void finished();

private:
    void startNow();
    bool prepareWatch(QString *error);
    void prepareObservations();
    /// Watch mode: takes up the last run's open stale periods, then loaded().
    void restoreHistory();
    bool prepareSource(QString *error);
    void loaded();
    void writeReportAndFinish();
    void settleTimedOut();

    Options m_options;
    DbUrl m_url;
    Mode m_mode;
    std::unique_ptr<JobStore> m_store; ///< null in watch mode: nothing is written there
    std::unique_ptr<PersistTarget> m_readOnly;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<TrackerTable> m_tracker;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<JobListModel> m_jobs;
    std::unique_ptr<EventLogModel> m_eventLog;
    std::unique_ptr<EventDispatcher> m_dispatcher;
    std::unique_ptr<GatewaySim> m_sim;
    std::unique_ptr<EventSource> m_source;
    std::unique_ptr<RecordWriter> m_recorder;
    WatchSource *m_watch = nullptr;       ///< m_source in watch mode
    qint64 m_ingestBadLines = 0;          ///< lines refused by ingest() (HTTP, the UI)
    LongTimer *m_durationTimer = nullptr; ///< watch mode's --duration (wall clock)
    QTimer *m_settleTimer = nullptr;      ///< shutdown's SettleTimeoutMs
    bool m_started = false;
    bool m_stopping = false;
    bool m_abandoned = false;
    bool m_finished = false;

    /// Watch mode only: observations of the gateway and the record of what was seen
    /// (issue 12).
    std::unique_ptr<ObservationIntake> m_observations;
    std::unique_ptr<HistoryStore> m_history;
};
