#include "observe/FollowedFile.h"

#include "util/Escape.h"

#include <QDateTime>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

namespace {

constexpr qint64 ReadBudget = qint64(4) * 1024 * 1024; ///< per poll, so the loop stays lively

bool identity(const QString &path, quint64 *device, quint64 *inode, qint64 *size)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return false;
    *device = quint64(st.st_dev);
    *inode = quint64(st.st_ino);
    *size = qint64(st.st_size);
    return true;
}

} // namespace

FollowedFile::FollowedFile(const QString &path, bool fromStart, QObject *parent)
    : QObject(parent), m_path(path), m_fromStart(fromStart), m_stdin(path == u"-")
{
    connect(&m_timer, &QTimer::timeout, this, &FollowedFile::poll);
    m_timer.setSingleShot(true);
}

FollowedFile::~FollowedFile()
{
    stop();
}

bool FollowedFile::start(QString *error)
{
    if (m_stdin) {
        // Non-blocking, so a quiet pipe never stalls the event loop; a terminal shares the
        // flag with the shell, so stop() puts it back.
        m_stdinFlags = ::fcntl(STDIN_FILENO, F_GETFL);
        if (m_stdinFlags < 0 || ::fcntl(STDIN_FILENO, F_SETFL, m_stdinFlags | O_NONBLOCK) != 0) {
            if (error)
                *error = QStringLiteral("--observe -: cannot read stdin: %1")
                             .arg(QString::fromLocal8Bit(strerror(errno)));
            return false;
        }
    } else if (!openCurrent(!m_fromStart)) {
        Q_EMIT notice(QStringLiteral("%1 does not exist yet: waiting for it").arg(m_path));
        m_missingNoted = true;
    }
    m_timer.start(0);
    return true;
}

void FollowedFile::stop()
{
    m_timer.stop();
    m_file.close();
    if (m_stdinFlags >= 0) {
        ::fcntl(STDIN_FILENO, F_SETFL, m_stdinFlags);
        m_stdinFlags = -1;
    }
}

bool FollowedFile::openCurrent(bool atEnd)
{
    m_file.close();
    m_file.setFileName(m_path);
    qint64 size = 0;
    if (!identity(m_path, &m_device, &m_inode, &size) || !m_file.open(QIODevice::ReadOnly))
        return false;
    m_pos = 0;
    m_number = 0;
    m_partial.clear();
    m_skipping = false;
    if (atEnd) {
        // Number the lines already there, so the first new one is named as an editor would.
        QByteArray chunk;
        while (!(chunk = m_file.read(1024 * 1024)).isEmpty()) {
            m_number += chunk.count('\n');
            m_pos += chunk.size();
        }
        if (m_pos > 0 && m_file.seek(m_pos - 1) && m_file.read(1) != "\n") {
            m_file.seek(m_pos);
            m_skipping = true; // the unfinished last line started before us: not ours
        }
    }
    return true;
}

void FollowedFile::poll()
{
    if (m_stdin)
        return readStdin();
    quint64 device = 0, inode = 0;
    qint64 size = 0;
    const bool exists = identity(m_path, &device, &inode, &size);
    bool busy = false;
    if (!m_file.isOpen()) {
        if (exists && openCurrent(false)) {
            m_missingNoted = false;
            Q_EMIT notice(QStringLiteral("%1 appeared: reading it from its start").arg(m_path));
        }
    } else if (exists && (device != m_device || inode != m_inode)) {
        // Rotated: what the writer appended to the old file before it moved comes first.
        while (drain()) {
        }
        flushPartial();
        Q_EMIT notice(
            QStringLiteral("%1 was rotated: reading the new file from its start").arg(m_path));
        openCurrent(false);
    } else if (exists && size < m_pos) {
        flushPartial();
        Q_EMIT notice(
            QStringLiteral("%1 was truncated: reading it again from its start").arg(m_path));
        openCurrent(false);
    } else if (!exists && !m_missingNoted) {
        m_missingNoted = true; // renamed away, no new file yet: finish the old one, wait
        Q_EMIT notice(QStringLiteral("%1 is gone: waiting for it to come back").arg(m_path));
    }
    if (m_file.isOpen())
        busy = drain();
    m_timer.start(busy ? 0 : m_pollMs);
}

bool FollowedFile::drain()
{
    if (!m_file.seek(m_pos))
        return false;
    qint64 taken = 0;
    char buffer[64 * 1024];
    while (taken < ReadBudget) {
        const qint64 n = m_file.read(buffer, sizeof buffer);
        if (n <= 0)
            return false;
        m_pos += n;
        taken += n;
        split(buffer, qsizetype(n));
    }
    return true;
}

void FollowedFile::split(const char *data, qsizetype size)
{
    qsizetype start = 0;
    for (qsizetype i = 0; i < size; ++i) {
        if (data[i] != '\n')
            continue;
        if (!m_skipping && m_partial.size() + (i - start) > MaxLineBytes) {
            m_skipping = true;
            Q_EMIT tooLong(m_number + 1);
        }
        if (!m_skipping)
            m_partial.append(data + start, i - start);
        else
            m_partial.clear();
        const bool wasSkipping = std::exchange(m_skipping, false);
        ++m_number;
        if (!wasSkipping) {
            if (m_partial.endsWith('\r'))
                m_partial.chop(1);
            ++m_linesRead;
            m_lastLineMs = QDateTime::currentMSecsSinceEpoch();
            const QByteArray line = std::exchange(m_partial, {});
            Q_EMIT this->line(line, m_number);
        }
        start = i + 1;
    }
    if (m_skipping || start >= size)
        return;
    m_partial.append(data + start, size - start);
    if (m_partial.size() > MaxLineBytes) {
        m_partial.clear();
        m_skipping = true;
        Q_EMIT tooLong(m_number + 1);
    }
}

void FollowedFile::flushPartial()
{
    if (m_partial.isEmpty() || m_skipping)
        return;
    split("\n", 1); // the writer's last line, unfinished when the file went away
}

void FollowedFile::readStdin()
{
    char buffer[64 * 1024];
    qint64 taken = 0;
    while (taken < ReadBudget) {
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) {
            taken += n;
            split(buffer, qsizetype(n));
            continue;
        }
        if (n == 0) { // the end of stdin: nothing more will come
            flushPartial();
            Q_EMIT notice(QStringLiteral("stdin ended"));
            return;
        }
        if (errno == EINTR)
            continue;
        break; // EAGAIN: nothing now
    }
    m_timer.start(taken >= ReadBudget ? 0 : m_pollMs);
}
