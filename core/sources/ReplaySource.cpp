#include "sources/ReplaySource.h"

#include "tracker/TrackerTable.h"

#include <QFile>
#include <QSocketNotifier>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <unistd.h>

ReplaySource::ReplaySource(const QString &path, QObject *parent)
    : EventSource(parent), m_path(path), m_name(path == u"-" ? QStringLiteral("stdin") : path)
{
    m_paceTimer.setSingleShot(true);
    m_paceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_paceTimer, &QTimer::timeout, this, &ReplaySource::pump);
}

ReplaySource::ReplaySource(QIODevice *device, const QString &name, QObject *parent)
    : ReplaySource(QString(), parent)
{
    m_device = device;
    m_name = name;
}

ReplaySource::~ReplaySource()
{
    m_notifier.reset(); // before the file whose descriptor it watches
}

void ReplaySource::setSpeed(double speed)
{
    // NaN, negative and infinite speeds have no pace to keep: treat them as lock-step.
    m_speed = speed > 0.0 && std::isfinite(speed) ? speed : 0.0;
}

void ReplaySource::setTracker(TrackerTable *tracker)
{
    disconnect(m_settledConnection);
    m_tracker = tracker;
    if (tracker)
        m_settledConnection =
            connect(tracker, &TrackerTable::settled, this, &ReplaySource::onSettled);
}

bool ReplaySource::open(QString *error)
{
    if (m_opened)
        return true;
    if (!m_device) {
        m_file = std::make_unique<QFile>();
        bool ok = false;
        QString reason = QStringLiteral("no file name given");
        if (m_path == u"-") {
            ok = m_file->open(STDIN_FILENO, QIODevice::ReadOnly, QFileDevice::DontCloseHandle);
        } else if (!m_path.isEmpty()) {
            m_file->setFileName(m_path);
            ok = m_file->open(QIODevice::ReadOnly);
        }
        if (!ok) {
            if (!m_path.isEmpty())
                reason = m_file->errorString();
            if (error)
                *error = QStringLiteral("cannot read replay input '%1': %2").arg(m_name, reason);
            m_file.reset();
            return false;
        }
        m_device = m_file.get();
    } else if (!m_device->isOpen() || !m_device->isReadable()) {
        if (error)
            *error = QStringLiteral("cannot read replay input '%1': it is not open for reading")
                         .arg(m_name);
        return false;
    }

    // Pipes and terminals block in read() until data comes; watch their descriptor instead.
    auto *fileDevice = qobject_cast<QFileDevice *>(m_device);
    if (!m_device->isSequential()) {
        m_input = Input::Sync;
    } else if (fileDevice && fileDevice->handle() >= 0) {
        m_input = Input::Fd;
        m_notifier = std::make_unique<QSocketNotifier>(fileDevice->handle(), QSocketNotifier::Read);
        m_notifier->setEnabled(false);
        connect(m_notifier.get(), &QSocketNotifier::activated, this, &ReplaySource::readFd);
    } else {
        m_input = Input::Signals;
        connect(m_device, &QIODevice::readyRead, this, &ReplaySource::schedulePump);
        const auto done = [this] {
            m_deviceDone = true;
            schedulePump();
        };
        connect(m_device, &QIODevice::readChannelFinished, this, done);
        connect(m_device, &QIODevice::aboutToClose, this, done);
    }
    m_opened = true;
    return true;
}

void ReplaySource::start()
{
    if (m_state != State::Idle)
        return;
    QString error;
    if (!open(&error)) {
        m_state = State::Finished;
        Q_EMIT readError(error);
        Q_EMIT finished();
        return;
    }
    m_state = State::Running;
    schedulePump(); // queued: whoever connects right after start() still sees line 1
}

void ReplaySource::stop()
{
    if (m_state == State::Finished)
        return;
    m_state = State::Stopped;
    m_pending.reset();
    m_paceTimer.stop();
    if (m_notifier)
        m_notifier->setEnabled(false);
}

void ReplaySource::schedulePump()
{
    if (m_pumpScheduled)
        return;
    m_pumpScheduled = true;
    QMetaObject::invokeMethod(this, &ReplaySource::pump, Qt::QueuedConnection);
}

void ReplaySource::pump()
{
    m_pumpScheduled = false;
    for (int budget = LinesPerTurn; m_state == State::Running; --budget) {
        if (m_waitingForSettle || m_paceTimer.isActive())
            return;
        if (budget == 0) {
            schedulePump();
            return;
        }
        if (m_pending) { // its time has come
            const EventLine line = std::move(*m_pending);
            m_pending.reset();
            deliver(line);
            continue;
        }
        QByteArray raw;
        switch (takeLine(&raw)) {
        case Take::Line:
            handleLine(std::move(raw));
            break;
        case Take::NeedData:
            if (!fillBuffer())
                return; // woken by the notifier or readyRead()
            break;
        case Take::End:
            finishWhenSettled();
            return;
        }
    }
    if (m_state == State::Draining)
        finishWhenSettled();
}

ReplaySource::Take ReplaySource::takeLine(QByteArray *line)
{
    for (;;) {
        const qsizetype nl = m_buffer.indexOf('\n', m_scan);
        if (nl >= 0) {
            const bool skip = std::exchange(m_discarding, false);
            if (!skip)
                *line = m_buffer.mid(m_pos, nl - m_pos);
            m_pos = m_scan = nl + 1;
            if (m_pos == m_buffer.size()) {
                m_buffer.clear();
                m_pos = m_scan = 0;
            }
            if (skip)
                continue; // the over-long line ends here; it was reported already
            return Take::Line;
        }
        const qsizetype pending = m_buffer.size() - m_pos;
        if (m_discarding || pending > EventLine::MaxLineBytes + 1) { // + 1: a '\r'
            if (!m_discarding) {
                m_discarding = true;
                reportBadLine(++m_lineNumber, QStringLiteral("line too long (more than %1 bytes)")
                                                  .arg(EventLine::MaxLineBytes));
            }
            m_buffer.clear(); // never hold more than one over-long line in memory
            m_pos = m_scan = 0;
        } else {
            m_scan = m_buffer.size();
        }
        if (!m_eof)
            return Take::NeedData;
        if (m_discarding || m_pos == m_buffer.size()) {
            m_discarding = false;
            return Take::End;
        }
        *line = m_buffer.mid(m_pos); // the last line has no '\n'
        m_buffer.clear();
        m_pos = m_scan = 0;
        return Take::Line;
    }
}

bool ReplaySource::fillBuffer()
{
    if (m_pos > 0) { // keep the buffer from growing by what was consumed already
        m_buffer.remove(0, m_pos);
        m_scan -= m_pos;
        m_pos = 0;
    }
    switch (m_input) {
    case Input::Fd:
        m_notifier->setEnabled(true);
        return false;
    case Input::Sync:
    case Input::Signals: {
        const qsizetype old = m_buffer.size();
        m_buffer.resize(old + ChunkBytes);
        const qint64 n = m_device->read(m_buffer.data() + old, ChunkBytes);
        m_buffer.resize(old + std::max<qint64>(n, 0));
        if (n > 0)
            return true;
        if (n < 0 && m_input == Input::Sync)
            Q_EMIT readError(
                QStringLiteral("cannot read '%1': %2").arg(m_name, m_device->errorString()));
        if (m_input == Input::Sync || n < 0 || m_deviceDone) {
            markEnd();
            return true;
        }
        return false; // a sequential device with nothing yet: readyRead() wakes us
    }
    }
    return false;
}

void ReplaySource::readFd()
{
    m_notifier->setEnabled(false);
    const qsizetype old = m_buffer.size();
    m_buffer.resize(old + ChunkBytes);
    ssize_t n = -1;
    do {
        n = ::read(int(m_notifier->socket()), m_buffer.data() + old, size_t(ChunkBytes));
    } while (n < 0 && errno == EINTR);
    const int readErrno = errno;
    m_buffer.resize(old + std::max<ssize_t>(n, 0));
    if (n < 0 && (readErrno == EAGAIN || readErrno == EWOULDBLOCK)) {
        m_notifier->setEnabled(true); // spurious wake-up on a non-blocking descriptor
        return;
    }
    if (n < 0)
        Q_EMIT readError(QStringLiteral("cannot read '%1': %2")
                             .arg(m_name, QString::fromLocal8Bit(std::strerror(readErrno))));
    if (n <= 0)
        markEnd();
    schedulePump();
}

void ReplaySource::markEnd()
{
    m_eof = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
}

void ReplaySource::handleLine(QByteArray raw)
{
    ++m_lineNumber;
    if (m_lineNumber == 1 && raw.startsWith("\xEF\xBB\xBF"))
        raw.remove(0, 3); // a UTF-8 byte order mark, as some editors write
    if (EventLine::isBlank(raw))
        return;
    QString error;
    std::optional<EventLine> line = EventLine::parse(raw, &error);
    if (!line) {
        reportBadLine(m_lineNumber, error);
        return;
    }
    if (!isLockStep() && line->time.isValid()) {
        if (!m_firstTs.isValid()) {
            m_firstTs = line->time;
            m_clock.start();
        } else {
            // Anchored on the first line, so time spent on earlier lines is not added up.
            const double due = double(m_firstTs.msecsTo(line->time)) / m_speed - m_skippedMs;
            double wait = std::ceil(due - double(m_clock.elapsed()));
            if (wait > double(m_maxWaitMs)) {
                // Cut the gap, and move every later line up by as much, so they keep their
                // spacing instead of all coming at once.
                const double gapMs = wait;
                m_skippedMs += wait - double(m_maxWaitMs);
                wait = double(m_maxWaitMs);
                if (m_clampedGaps++ == 0)
                    qCWarning(lcSources).noquote()
                        << QStringLiteral("%1: line %2 is due %3 s after the line before it; "
                                          "a replay waits at most %4 s between two lines, so "
                                          "this and any longer gap are cut to that")
                               .arg(m_name)
                               .arg(m_lineNumber)
                               .arg(QString::number(gapMs / 1000.0, 'f', 1))
                               .arg(QString::number(double(m_maxWaitMs) / 1000.0, 'g', 6));
            }
            if (wait > 0) {
                m_pending = std::move(line);
                m_paceTimer.start(int(wait));
                return;
            }
        }
    }
    deliver(*line);
}

void ReplaySource::deliver(const EventLine &line)
{
    // A pending (paced) line is the last one read, so m_lineNumber is still its number.
    if (!emitLine(line, m_lineNumber))
        return; // refused (a limit): a bad line, nothing to settle
    if (m_state != State::Running || !isLockStep() || !m_tracker)
        return;
    m_tracker->flush();
    if (m_tracker->writesInFlight() > 0)
        m_waitingForSettle = true;
}

void ReplaySource::onSettled()
{
    if (!m_tracker || m_tracker->writesInFlight() > 0)
        return;
    m_waitingForSettle = false;
    if (m_state == State::Running || m_state == State::Draining)
        schedulePump(); // not from inside the tracker's settle loop
}

void ReplaySource::finishWhenSettled()
{
    m_state = State::Draining;
    if (m_tracker) {
        m_tracker->flush();
        if (m_tracker->writesInFlight() > 0)
            return; // onSettled() brings us back
    }
    m_state = State::Finished;
    qCInfo(lcSources).noquote() << QStringLiteral("%1: replay done, %2 lines, %3 bad")
                                       .arg(m_name)
                                       .arg(m_lineNumber)
                                       .arg(badLines());
    Q_EMIT finished();
}
