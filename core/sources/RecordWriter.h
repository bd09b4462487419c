#pragma once

#include "sources/EventLine.h"

#include <QObject>
#include <QTimer>

#include <QDateTime>

#include <functional>
#include <memory>

class EventDispatcher;
class QFile;

/*!
 * `--record FILE`: writes every dispatched event, fault and backend change as JSONL that
 * ReplaySource plays back. Lines without a `ts` are stamped from the record's clock (the
 * wall clock unless setClock() says otherwise; a simulation sets its simulated time), so
 * every line of a record carries one clock and it replays at its own pace with `--speed 1`. Output
 * is buffered and flushed at least once a second and on close(), so a crash loses little and a run
 * with many events does not write once per event. "-" writes to stdout.
 */
class RecordWriter : public QObject {
    Q_OBJECT
public:
    static constexpr qsizetype FlushBytes = qsizetype(64) * 1024;
    static constexpr int FlushIntervalMs = 1000;

    explicit RecordWriter(const QString &path, QObject *parent = nullptr);
    /// Closes (and so flushes) the file.
    ~RecordWriter() override;

    /// Creates or truncates the file; false with `error` naming the path and the reason.
    bool open(QString *error);
    /// Writes every line the dispatcher applies.
    void attach(EventDispatcher *dispatcher);
    /// What lines without a `ts` are stamped with (UTC); null = the wall clock. With
    /// `always`, lines that bring their own `ts` (e.g. posted to a simulation) are stamped
    /// too, so a record never mixes two clocks.
    void setClock(std::function<QDateTime()> clock, bool always = false)
    {
        m_clock = std::move(clock);
        m_alwaysStamp = always && m_clock;
    }
    /// Appends one line (stamping `ts` if it has none).
    void write(const EventLine &line);
    /// Writes out what is buffered; false (and error()) when the file refused it.
    bool flush();
    /// Flushes and closes; false (and error()) when the data did not all reach the file.
    bool close();

    QString path() const { return m_path; }
    qint64 linesWritten() const { return m_lines; }
    /// The first write error, empty when none.
    QString error() const { return m_error; }

private:
    void fail(const QString &reason);

    QString m_path;
    std::unique_ptr<QFile> m_file;
    QByteArray m_buffer;
    QTimer m_flushTimer;
    qint64 m_lines = 0;
    QString m_error;
    std::function<QDateTime()> m_clock;
    bool m_alwaysStamp = false;
};
