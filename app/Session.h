#pragma once

#include "CommandLine.h"
#include "store/DbUrl.h"

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
class RecordWriter;
class TrackerTable;

/*!
 * One run of Stickyboard: the store, the fault injector on the persist seam, the trackers,
 * the event source (simulation or replay), the recorder and the models, wired as design.md
 * draws them. Starting and stopping are asynchronous: nothing here waits on the database.
 */
class Session : public QObject {
    Q_OBJECT
public:
    enum class Mode { Simulate, Replay };

    Session(const CommandLine &commandLine, const DbUrl &url, QObject *parent = nullptr);
    ~Session() override;

    /// Checks the inputs, opens the database, loads the snapshot into the trackers, starts
    /// the source. Emits ready() or failed().
    void start();
    /// Stops the source, lets every write settle, writes the report, then emits finished().
    void shutdown();

    Mode mode() const { return m_mode; }
    /// As the report and the header name it: "simulate" | "replay".
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

    /// Applies a fault from the UI or the command line, and records it.
    bool applyFault(const QString &spec, QString *error);

Q_SIGNALS:
    void ready();
    /// Startup or shutdown failed; `exitCode` 2 for bad input, 3 for the database.
    void failed(const QString &message, int exitCode);
    /// A replay reached the end of its input, every write settled.
    void sourceFinished();
    void finished();

private:
    bool prepareSource(QString *error);
    void loaded();
    void writeReportAndFinish();

    CommandLine m_commandLine;
    DbUrl m_url;
    Mode m_mode;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<TrackerTable> m_tracker;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<JobListModel> m_jobs;
    std::unique_ptr<EventLogModel> m_eventLog;
    std::unique_ptr<EventDispatcher> m_dispatcher;
    std::unique_ptr<GatewaySim> m_sim;
    std::unique_ptr<EventSource> m_source;
    std::unique_ptr<RecordWriter> m_recorder;
    bool m_started = false;
    bool m_stopping = false;
};
