#include "watch/WatchSource.h"

#include "util/Escape.h"
#include "util/Logging.h"
#include "watch/WatchWorker.h"

#include <QDateTime>
#include <QPromise>
#include <QThread>

using namespace Qt::StringLiterals;

WatchSource::WatchSource(const DbUrl &url, const WatchSpec &spec, QObject *parent)
    : EventSource(parent), m_url(url), m_spec(spec)
{
    qRegisterMetaType<WatchRows>();
    qRegisterMetaType<WatchStatus>();
    m_status.method = u"connecting"_s;
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(u"stickyboard-watch"_s);
    m_worker = new WatchWorker(url, spec);
    m_worker->moveToThread(m_thread.get());
    connect(m_worker, &WatchWorker::snapshot, this, &WatchSource::snapshotReady);
    connect(m_worker, &WatchWorker::startFailed, this, &WatchSource::startFailed);
    connect(m_worker, &WatchWorker::changed, this, &WatchSource::apply);
    connect(m_worker, &WatchWorker::statusChanged, this, [this](const WatchStatus &status) {
        m_status = status;
        Q_EMIT statusChanged();
    });
    m_thread->start();
}

WatchSource::~WatchSource()
{
    m_stopped = true;
    // Closes the connection on the thread that opened it, before that thread ends.
    QMetaObject::invokeMethod(m_worker, &WatchWorker::stop, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_worker; // its thread has ended and its timers are stopped
}

void WatchSource::start()
{
    QMetaObject::invokeMethod(m_worker, &WatchWorker::start, Qt::QueuedConnection);
}

void WatchSource::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    QMetaObject::invokeMethod(m_worker, &WatchWorker::pause, Qt::QueuedConnection);
}

QString WatchSource::problem() const
{
    switch (m_status.state) {
    case WatchStatus::State::Live:
        return {};
    case WatchStatus::State::Connecting:
        return u"connecting to %1"_s.arg(m_url.redacted());
    case WatchStatus::State::Reconnecting:
        break;
    }
    const QString asOf =
        QDateTime::fromMSecsSinceEpoch(m_status.lastGoodMs, Qt::UTC).toString(Qt::ISODate);
    return u"%1; showing the table as read at %2"_s.arg(m_status.error, asOf);
}

void WatchSource::apply(const WatchRows &rows)
{
    if (m_stopped)
        return;
    for (const WatchRow &row : rows) {
        // A job not resolved yet (NULL) is no event: an event names a backend. A backend
        // set back to NULL leaves the tracker on the last one it saw.
        if (row.backend.isEmpty()) {
            qCInfo(lcWatch).noquote()
                << "job" << Escape::text(row.job) << "has no backend (NULL): skipped";
            continue;
        }
        EventLine line = EventLine::event(row.job, row.worker, row.backend);
        line.setTime(QDateTime::currentDateTimeUtc());
        emitLine(line);
    }
}

QFuture<WatchSource::TableRead> WatchSource::readTable()
{
    auto promise = std::make_shared<QPromise<TableRead>>();
    QFuture<TableRead> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, promise] {
        QString error;
        TableRead result;
        result.rows = worker->readAllForReport(&error);
        if (!error.isEmpty())
            qCWarning(lcWatch).noquote()
                << Escape::text(error) << "— the report's db values are the last ones read";
        result.backends.reserve(result.rows.size());
        for (const WatchRow &row : std::as_const(result.rows))
            result.backends.insert(row.job, row.backend);
        promise->addResult(std::move(result));
        promise->finish();
    });
    return future;
}
