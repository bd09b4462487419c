#pragma once

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;
class Session;
class WatchSource;

/*!
 * Watch mode, as the header, the banner and the details panel show it: the connection to the
 * operator's database, the observation inputs (the gateway's own log) with their health, and
 * the staleness they reveal: jobs whose table row lags where the gateway serves them. Never a
 * stale picture without saying so. Empty outside watch mode.
 */
class Watch : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Watch(QObject *parent);
    static Watch *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);

    /// True in watch mode.
    Q_PROPERTY(bool active READ active NOTIFY configChanged)
    bool active() const { return source(); }
    /// "" (not watching) | "connecting" | "live" | "reconnecting"
    Q_PROPERTY(QString connectionState READ connectionState NOTIFY connectionChanged)
    QString connectionState() const;
    /// Live: how changes arrive ("LISTEN/NOTIFY", "polling every 1000 ms (xmin)");
    /// reconnecting: what went wrong, without the password.
    Q_PROPERTY(QString connectionText READ connectionText NOTIFY connectionChanged)
    QString connectionText() const;
    /// Wall clock (ms since the epoch) of the last successful read of the watched table.
    Q_PROPERTY(double lastReadMs READ lastReadMs NOTIFY connectionChanged)
    double lastReadMs() const;
    /// Reconnecting: wall clock of the next attempt.
    Q_PROPERTY(double retryAtMs READ retryAtMs NOTIFY connectionChanged)
    double retryAtMs() const;
    /// The watched table as people read it ("jobs", "ops.jobs").
    Q_PROPERTY(QString table READ table NOTIFY configChanged)
    QString table() const;
    /// Its columns as read: "id, last_backend_id, worker_id".
    Q_PROPERTY(QString columns READ columns NOTIFY connectionChanged)
    QString columns() const;

    /// Jobs whose table row has lagged the gateway for longer than `staleAfterS`.
    Q_PROPERTY(int staleJobs READ staleJobs NOTIFY figuresChanged)
    int staleJobs() const { return m_stale; }
    /// Jobs that differ for less than that: their workers' write may still land.
    Q_PROPERTY(int pendingJobs READ pendingJobs NOTIFY figuresChanged)
    int pendingJobs() const { return m_pending; }
    /// Wall clock when the oldest staleness began; 0 when no job is stale.
    Q_PROPERTY(double oldestStaleSinceMs READ oldestStaleSinceMs NOTIFY figuresChanged)
    double oldestStaleSinceMs() const { return m_oldestStaleSinceMs; }
    /// Stale jobs the table caught up with in this run.
    Q_PROPERTY(double recovered READ recovered NOTIFY figuresChanged)
    double recovered() const { return m_recovered; }
    /// The grace (`--stale-after`), in seconds.
    Q_PROPERTY(double staleAfterS READ staleAfterS NOTIFY configChanged)
    double staleAfterS() const;
    /// The observation inputs: [{name, kind ("file" | "http" | "litellm"), lines, badLines,
    /// lastLineMs, linesPerSecond, quiet}]; quiet: nothing read for `QuietAfterS` or more
    /// (since the watch began, for an input that never delivered a line).
    Q_PROPERTY(QVariantList inputs READ inputs NOTIFY figuresChanged)
    QVariantList inputs() const { return m_inputs; }
    /// Inputs gone quiet: a silent gateway log must never look like a healthy fleet.
    Q_PROPERTY(int quietInputs READ quietInputs NOTIFY figuresChanged)
    int quietInputs() const { return m_quietInputs; }
    /// The staleness clock's now (ms since the epoch), ticking each second: ages bind to it.
    Q_PROPERTY(double now READ now NOTIFY figuresChanged)
    double now() const { return m_now; }

    /// How long ago `sinceMs` was, for people: "37 s", "12 min", "3 h 5 min".
    Q_INVOKABLE QString ageText(double sinceMs) const;
    /// `seconds` as people read it; `compact` drops the minutes past an hour (a pet's bubble).
    static QString formatAge(qint64 seconds, bool compact = false);

    /// An input with nothing read for this long is quiet.
    static constexpr int QuietAfterS = 60;
    Q_PROPERTY(int quietAfterS READ quietAfterS CONSTANT)
    int quietAfterS() const { return QuietAfterS; }

    Q_SIGNAL void configChanged();
    Q_SIGNAL void connectionChanged();
    /// The staleness figures and the inputs' health, refreshed once a second.
    Q_SIGNAL void figuresChanged();

private:
    const WatchSource *source() const;
    void refresh();

    QPointer<Session> m_session;
    QTimer m_timer;
    int m_stale = 0;
    int m_pending = 0;
    double m_oldestStaleSinceMs = 0;
    double m_recovered = 0;
    QVariantList m_inputs;
    QHash<QString, quint64> m_lastLines; ///< lines per input at the previous refresh
    qint64 m_lastRefreshMs = 0;
    qint64 m_attachedMs = 0;
    int m_quietInputs = 0;
    double m_now = 0;
};
