#include "watch/WatchWorker.h"

#include "store/StoreConnection.h"
#include "util/Escape.h"
#include "util/Logging.h"
#include "watch/SqliteWalAdvice.h"
#include "watch/WatchHint.h"
#include "watch/WatchQueries.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>

#include <utility>

using namespace Qt::StringLiterals;

namespace {
constexpr int FirstRetryMs = 500;
constexpr int LongestRetryMs = 30'000;
constexpr int PingMs = 2000;            ///< LISTEN: how soon a dead connection is noticed
constexpr int NotifyCatchUpMs = 30'000; ///< LISTEN: a poll as well, in case a NOTIFY is missed
/// NOTIFY: distinct ids re-read from one burst at most; past it, one poll reads the changes
/// instead, so a flood of payloads (anyone who can connect may NOTIFY) costs one poll.
constexpr qsizetype MaxHintIds = 1000;

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

} // namespace

WatchWorker::WatchWorker(const DbUrl &url, const WatchSpec &spec)
    : m_url(url), m_spec(spec), m_connectionName(u"stickyboard-watch-%1"_s.arg(
                                    QRandomGenerator::global()->generate64(), 0, 16))
{
    m_pollTimer.setParent(this);
    m_pingTimer.setParent(this);
    m_retryTimer.setParent(this);
    m_retryTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &WatchWorker::poll);
    connect(&m_pingTimer, &QTimer::timeout, this, &WatchWorker::ping);
    connect(&m_retryTimer, &QTimer::timeout, this, &WatchWorker::reconnect);
}

WatchWorker::~WatchWorker() = default;

void WatchWorker::start()
{
    WatchRows rows;
    QString error;
    if (!connectAndRead(&rows, &error)) {
        closeConnection();
        Q_EMIT startFailed(error);
        return;
    }
    rows = m_filter.keepValid(rows);
    for (const WatchRow &row : std::as_const(rows))
        m_known.insert(row.job, row);
    // Live first: whoever reacts to the snapshot (the session becomes ready) then already
    // sees how changes arrive.
    setLive();
    Q_EMIT snapshot(rows);
}

void WatchWorker::pause()
{
    m_stopped = true;
    m_pollTimer.stop();
    m_pingTimer.stop();
    m_retryTimer.stop();
}

void WatchWorker::stop()
{
    pause();
    closeConnection();
}

bool WatchWorker::connectAndRead(WatchRows *rows, QString *error)
{
    StoreConnection::Settings settings;
    settings.url = m_url;
    settings.readOnly = true;
    settings.applicationName = u"stickyboard-watch"_s;
    if (!StoreConnection::open(m_connectionName, settings, error))
        return false;
    m_connected = true;
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    if (!m_spec.columnsGiven && m_spec.workerColumn.isEmpty() &&
        WatchQueries::hasColumn(db, m_spec, u"worker_id"_s))
        m_spec.workerColumn = u"worker_id"_s;
    QString e;
    if (!WatchQueries::check(db, m_spec, &e)) {
        *error = describe(e);
        return false;
    }
    // LISTEN before the first read: a change committed after the read started is then
    // announced (and re-read), instead of waiting for the catch-up poll.
    bool ok = m_reader.prepare(db, &e);
    if (ok && m_reader.method() == WatchReader::Method::Notify)
        ok = listen(&e);
    std::optional<WatchRows> all;
    if (ok)
        all = m_reader.readFirst(db, &e);
    if (!all) {
        *error = describe(e);
        return false;
    }
    *rows = std::move(*all);
    m_status.lastGoodMs = now();
    return true;
}

bool WatchWorker::listen(QString *error)
{
    QSqlDriver *driver = QSqlDatabase::database(m_connectionName, false).driver();
    if (!driver->subscribeToNotification(QLatin1String(WatchSpec::Channel))) {
        *error = u"LISTEN %1 failed: %2"_s.arg(QLatin1String(WatchSpec::Channel),
                                               driver->lastError().text());
        return false;
    }
    connect(driver, &QSqlDriver::notification, this, &WatchWorker::onNotification);
    return true;
}

void WatchWorker::setLive()
{
    m_backoffMs = 0;
    m_status.state = WatchStatus::State::Live;
    m_status.method = m_reader.methodText();
    m_status.columns = QStringList{m_spec.idColumn, m_spec.backendColumn};
    if (!m_spec.workerColumn.isEmpty())
        m_status.columns.append(m_spec.workerColumn);
    m_status.error.clear();
    m_status.retryAtMs = 0;
    Q_EMIT statusChanged(m_status);
    m_pollTimer.start(m_reader.method() == WatchReader::Method::Notify
                          ? qMax(m_spec.pollMs, NotifyCatchUpMs)
                          : m_spec.pollMs);
    if (m_reader.method() == WatchReader::Method::Notify)
        m_pingTimer.start(qMin(m_spec.pollMs, PingMs));
    else
        m_pingTimer.stop();
    qCInfo(lcWatch).noquote() << "watching" << m_spec.displayName() << "in" << m_url.redacted()
                              << "by" << m_status.method;
}

QString WatchWorker::describe(const QString &driverText) const
{
    if (const QString advice = SqliteWalAdvice::forReadFailure(m_url, driverText);
        !advice.isEmpty())
        return advice;
    return u"cannot read %1 (columns %2, %3%4) in %5: %6"_s.arg(
        m_spec.displayName(), m_spec.idColumn, m_spec.backendColumn,
        m_spec.workerColumn.isEmpty() ? QString() : u", "_s + m_spec.workerColumn, m_url.redacted(),
        driverText);
}

void WatchWorker::poll()
{
    m_pollScheduled = false;
    if (!m_connected || m_stopped)
        return;
    QString error;
    if (pollOnce(&error)) {
        m_status.lastGoodMs = now();
        return;
    }
    lost(error);
}

bool WatchWorker::pollOnce(QString *error)
{
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QString e;
    const std::optional<WatchRows> rows = m_reader.poll(db, &e);
    if (!rows) {
        *error = describe(e);
        return false;
    }
    emitChanges(*rows);
    return true;
}

void WatchWorker::emitChanges(const WatchRows &rows)
{
    // Once stopped, nothing is remembered as seen either: the shutdown report's read
    // applies what the trackers have not got.
    if (m_stopped)
        return;
    const WatchRows changes = diff(m_filter.keepValid(rows));
    if (!changes.isEmpty())
        Q_EMIT changed(changes);
}

void WatchWorker::pollSoon()
{
    if (m_pollScheduled)
        return;
    m_pollScheduled = true;
    QMetaObject::invokeMethod(this, &WatchWorker::poll, Qt::QueuedConnection);
}

void WatchWorker::ping()
{
    if (!m_connected)
        return;
    if (!StoreConnection::ping(m_connectionName)) {
        lost(u"lost the connection to %1 (no answer to a ping)"_s.arg(m_url.redacted()));
        return;
    }
    m_status.lastGoodMs = now();
}

void WatchWorker::onNotification(const QString &name, QSqlDriver::NotificationSource,
                                 const QVariant &payload)
{
    if (m_stopped || name != QLatin1String(WatchSpec::Channel))
        return;
    // Anyone who can connect may NOTIFY this channel, rights on the table or not: a payload
    // is only a hint of which rows to read again. Nothing in it is shown.
    const WatchHint hint = WatchHint::parse(payload.toString(), m_spec);
    if (hint.kind == WatchHint::Kind::OtherTable)
        return;
    if (hint.kind == WatchHint::Kind::Poll) {
        pollSoon();
        return;
    }
    const QString &id = hint.job;
    if (WatchRowFilter::idProblem(id))
        return; // no row we would show has this id
    if (m_hintOverflow)
        return;
    if (m_hinted.size() >= MaxHintIds) {
        m_hinted.clear();
        m_hintOverflow = true;
        pollSoon();
        return;
    }
    // A bulk UPDATE notifies once per row: read them again together, once per turn.
    m_hinted.insert(id);
    if (!m_hintScheduled) {
        m_hintScheduled = true;
        QMetaObject::invokeMethod(this, &WatchWorker::readHinted, Qt::QueuedConnection);
    }
}

void WatchWorker::readHinted()
{
    m_hintScheduled = false;
    const bool overflowed = std::exchange(m_hintOverflow, false);
    const QStringList ids(m_hinted.cbegin(), m_hinted.cend());
    m_hinted.clear();
    if (overflowed || ids.isEmpty() || m_stopped || !m_connected)
        return; // an overflow has its poll scheduled already
    QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
    QString e;
    const std::optional<WatchRows> rows = WatchQueries::readIds(db, m_spec, ids, &e);
    if (!rows) {
        // E.g. a text id for a number column: the table still tells what changed.
        qCInfo(lcWatch).noquote() << "re-reading notified rows failed (" << e
                                  << "): polling instead";
        poll();
        return;
    }
    m_status.lastGoodMs = now();
    emitChanges(*rows);
}

WatchRows WatchWorker::diff(const WatchRows &rows)
{
    WatchRows changes;
    for (const WatchRow &row : rows) {
        auto it = m_known.find(row.job);
        if (it == m_known.end()) {
            m_known.insert(row.job, row);
            changes.append(row);
            continue;
        }
        const bool backendChanged = it->backend != row.backend;
        const bool workerChanged = !row.worker.isEmpty() && it->worker != row.worker;
        if (backendChanged || workerChanged) {
            *it = row;
            changes.append(row);
        }
    }
    return changes;
}

void WatchWorker::lost(const QString &error)
{
    closeConnection();
    if (m_stopped)
        return;
    m_pollTimer.stop();
    m_pingTimer.stop();
    m_backoffMs = m_backoffMs == 0 ? FirstRetryMs : qMin(m_backoffMs * 2, LongestRetryMs);
    m_status.state = WatchStatus::State::Reconnecting;
    m_status.error = error;
    m_status.retryAtMs = now() + m_backoffMs;
    qCWarning(lcWatch).noquote() << Escape::text(error)
                                 << u"— retrying in %1 ms"_s.arg(m_backoffMs);
    Q_EMIT statusChanged(m_status);
    m_retryTimer.start(m_backoffMs);
}

void WatchWorker::reconnect()
{
    if (m_stopped)
        return;
    WatchRows rows;
    QString error;
    if (!connectAndRead(&rows, &error)) {
        lost(error);
        return;
    }
    // Whatever changed while we were away arrives now, as changes.
    const WatchRows changes = diff(m_filter.keepValid(rows));
    if (!changes.isEmpty())
        Q_EMIT changed(changes);
    qCInfo(lcWatch).noquote() << "reconnected to" << m_url.redacted() << "," << changes.size()
                              << "rows changed meanwhile";
    setLive();
}

WatchRows WatchWorker::readAllForReport(QString *error)
{
    WatchRows rows;
    if (m_connected) {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        QString e;
        if (auto all = WatchQueries::readAll(db, m_spec, &e))
            return m_filter.keepValid(*all);
        *error = describe(e);
    } else {
        *error = m_status.error.isEmpty() ? u"not connected to %1"_s.arg(m_url.redacted())
                                          : m_status.error;
    }
    rows.reserve(m_known.size());
    for (const WatchRow &row : std::as_const(m_known))
        rows.append(row);
    return rows;
}

void WatchWorker::closeConnection()
{
    if (!m_connected)
        return;
    m_connected = false;
    StoreConnection::close(m_connectionName);
}
