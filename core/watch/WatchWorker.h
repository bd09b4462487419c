#pragma once

#include "store/DbUrl.h"
#include "watch/WatchReader.h"
#include "watch/WatchRowFilter.h"
#include "watch/WatchSpec.h"
#include "watch/WatchTypes.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QSqlDriver>
#include <QTimer>
#include <QVariant>

#include <optional>

/*!
 * The watcher's thread side: one read-only connection, created, used and removed on the
 * thread this object lives on (which runs an event loop, for LISTEN and the timers).
 *
 * It LISTENs (when the table has the trigger), reads the whole table once, then only what
 * changed (WatchReader says how: NOTIFY, xmin, updated_at), polling every `pollMs`. A
 * NOTIFY payload only names rows to read again from the table; rows with invalid ids are
 * skipped (WatchRowFilter). A diff against the rows seen so far turns
 * reads into changes. A lost connection is retried with backoff; after a
 * reconnect it LISTENs again and compares the whole table, so nothing missed stays missed.
 */
class WatchWorker : public QObject {
    Q_OBJECT
public:
    WatchWorker(const DbUrl &url, const WatchSpec &spec);
    ~WatchWorker() override;

    /// First connection and full read: emits snapshot() or startFailed().
    void start();
    /// Stops polling and reconnecting; the connection stays for readAllForReport().
    void pause();
    /// Closes the connection; call on this object's thread before it ends.
    void stop();
    /// Reads the whole table now (for the report), changing nothing; falls back to the last
    /// rows read, with `error` set, when the database cannot be reached.
    WatchRows readAllForReport(QString *error);

Q_SIGNALS:
    void snapshot(const WatchRows &rows);
    /// Rows whose backend or worker differ from what was seen before (new rows included).
    void changed(const WatchRows &rows);
    void statusChanged(const WatchStatus &status);
    /// The first connection or read failed: the run cannot start (exit code 3).
    void startFailed(const QString &error);

private:
    bool connectAndRead(WatchRows *rows, QString *error);
    bool listen(QString *error);
    void poll();
    void ping();
    bool pollOnce(QString *error);
    void onNotification(const QString &name, QSqlDriver::NotificationSource source,
                        const QVariant &payload);
    /// Reads the rows NOTIFY named in this turn again, from the table.
    void readHinted();
    /// Emits changed() for the valid `rows` that differ from what was seen.
    void emitChanges(const WatchRows &rows);
    void pollSoon();
    /// Remembers `rows`; returns those that differ from what was known.
    WatchRows diff(const WatchRows &rows);
    void lost(const QString &error);
    void reconnect();
    void setLive();
    void closeConnection();
    QString describe(const QString &driverText) const;

    const DbUrl m_url;
    WatchSpec m_spec; ///< with the worker column once found
    const QString m_connectionName;
    bool m_connected = false;
    bool m_stopped = false;
    WatchReader m_reader{m_url.kind, m_spec};
    QHash<QString, WatchRow> m_known; ///< every row read so far, for the diff
    QSet<QString> m_hinted;           ///< job ids NOTIFY named this turn, to read again
    bool m_hintScheduled = false;
    bool m_hintOverflow = false; ///< too many ids this turn: a poll reads them instead
    bool m_pollScheduled = false;
    WatchRowFilter m_filter;

    WatchStatus m_status;
    int m_backoffMs = 0;
    QTimer m_pollTimer;
    QTimer m_pingTimer;
    QTimer m_retryTimer;
};
