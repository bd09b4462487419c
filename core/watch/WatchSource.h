#pragma once

#include "sources/EventSource.h"
#include "store/DbUrl.h"
#include "watch/WatchSpec.h"
#include "watch/WatchTypes.h"

#include <QFuture>
#include <QHash>

#include <memory>

class QThread;
class WatchWorker;

/*!
 * `--watch`: an event source over an existing jobs table, read-only. The reading happens
 * on a thread of its own (WatchWorker); here the rows become event lines: each change of a
 * job's backend in the table is one event, and since the table is where the value lives,
 * it is a persisted value (the session's dispatcher applies it as such).
 */
class WatchSource : public EventSource {
    Q_OBJECT
public:
    WatchSource(const DbUrl &url, const WatchSpec &spec, QObject *parent = nullptr);
    ~WatchSource() override;

    /// Connects and reads the table: emits snapshotReady() or startFailed().
    void start() override;
    /// Stops reading changes; the connection stays open for a last readJobBackends()
    /// until this object is destroyed.
    void stop() override;

    const WatchStatus &status() const { return m_status; }
    const WatchSpec &spec() const { return m_spec; }
    /// Empty while live; otherwise a sentence for /healthz and the header.
    QString problem() const;
    /// What a read of the whole table for a report gives.
    struct TableRead {
        WatchRows rows;                   ///< every row with valid ids
        QHash<QString, QString> backends; ///< job id -> backend as the table holds it now
    };
    /// The table now, for the report: a pure read (no line, no change to what the watcher
    /// has seen). When the database cannot be reached it settles with the last rows read
    /// and logs a warning.
    QFuture<TableRead> readTable();

Q_SIGNALS:
    /// The first full read: every row, to load into the trackers before lines flow.
    void snapshotReady(const WatchRows &rows);
    /// The first connection failed (exit code 3).
    void startFailed(const QString &error);
    void statusChanged();

protected:
    QString sourceName() const override { return m_spec.displayName(); }

private:
    void apply(const WatchRows &rows);

    DbUrl m_url;
    WatchSpec m_spec;
    WatchStatus m_status;
    std::unique_ptr<QThread> m_thread;
    WatchWorker *m_worker = nullptr; ///< lives on m_thread; deleted after it ends
    bool m_stopped = false;
};
