#pragma once

#include "CommandLine.h"
#include "store/DbUrl.h"

#include <QObject>

#include <memory>

class ChangeFeed;
class DemoSource;
class FaultInjector;
class JobListModel;
class JobStore;
class TrackerTable;

/*!
 * One run of Stickyboard: the store, the fault injector on the persist seam, the trackers,
 * the event source and the models, wired as design.md draws them. Starting and stopping
 * are asynchronous: nothing here waits on the database.
 */
class Session : public QObject {
    Q_OBJECT
public:
    Session(const CommandLine &commandLine, const DbUrl &url, QObject *parent = nullptr);
    ~Session() override;

    /// Opens the database, loads the snapshot into the trackers, starts the source.
    void start();
    /// Stops the source and lets every write settle, then emits finished().
    void shutdown();

    TrackerTable *tracker() const { return m_tracker.get(); }
    ChangeFeed *feed() const { return m_feed.get(); }
    JobListModel *jobs() const { return m_jobs.get(); }
    FaultInjector *faults() const { return m_faults.get(); }
    QString mode() const { return QStringLiteral("simulation"); }
    QString databaseText() const { return m_url.redacted(); }

Q_SIGNALS:
    void ready();
    /// Startup failed; `exitCode` 3 for the database.
    void failed(const QString &message, int exitCode);
    void finished();

private:
    void loaded();

    CommandLine m_commandLine;
    DbUrl m_url;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<FaultInjector> m_faults;
    std::unique_ptr<TrackerTable> m_tracker;
    std::unique_ptr<ChangeFeed> m_feed;
    std::unique_ptr<JobListModel> m_jobs;
    std::unique_ptr<DemoSource> m_source;
    bool m_stopping = false;
};
