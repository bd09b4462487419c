#include "sources/RecordWriter.h"

#include "sources/EventDispatcher.h"
#include "util/Logging.h"

#include <QFile>

#include <cstdio>

RecordWriter::RecordWriter(const QString &path, QObject *parent) : QObject(parent), m_path(path)
{
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &RecordWriter::flush);
}

RecordWriter::~RecordWriter()
{
    close();
}

bool RecordWriter::open(QString *error)
{
    m_file = std::make_unique<QFile>();
    bool ok = false;
    if (m_path == u"-") {
        ok = m_file->open(stdout, QIODevice::WriteOnly | QIODevice::Unbuffered,
                          QFileDevice::DontCloseHandle);
    } else {
        m_file->setFileName(m_path);
        ok = m_file->open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered);
    }
    if (!ok) {
        if (error)
            *error = QStringLiteral("cannot write record file '%1': %2")
                         .arg(m_path, m_file->errorString());
        m_file.reset();
        return false;
    }
    m_flushTimer.start();
    return true;
}

void RecordWriter::attach(EventDispatcher *dispatcher)
{
    connect(dispatcher, &EventDispatcher::dispatched, this, &RecordWriter::write);
}

void RecordWriter::write(const EventLine &line)
{
    if (!m_file)
        return;
    if (line.ts.isNull() || m_alwaysStamp) {
        EventLine stamped = line;
        stamped.setTime(m_clock ? m_clock() : QDateTime::currentDateTimeUtc());
        m_buffer += stamped.toJson();
    } else {
        m_buffer += line.toJson();
    }
    m_buffer += '\n';
    ++m_lines;
    if (m_buffer.size() >= FlushBytes)
        flush();
}

bool RecordWriter::flush()
{
    if (!m_file || m_buffer.isEmpty())
        return m_error.isEmpty();
    const qint64 written = m_file->write(m_buffer);
    if (written != m_buffer.size())
        fail(m_file->errorString());
    m_buffer.clear(); // on failure too: holding on would only grow memory without bound
    if (m_path == u"-")
        std::fflush(stdout);
    return m_error.isEmpty();
}

bool RecordWriter::close()
{
    if (!m_file)
        return m_error.isEmpty();
    flush();
    m_flushTimer.stop();
    if (m_path != u"-" && !m_file->flush())
        fail(m_file->errorString());
    m_file->close();
    m_file.reset();
    return m_error.isEmpty();
}

void RecordWriter::fail(const QString &reason)
{
    if (!m_error.isEmpty())
        return; // the first error is the one to act on; the rest repeat it
    m_error = QStringLiteral("cannot write record file '%1': %2").arg(m_path, reason);
    qCWarning(lcSources).noquote() << m_error;
}
