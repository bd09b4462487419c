#pragma once

#include <QByteArray>
#include <QFile>
#include <QObject>
#include <QTimer>

/*!
 * `--observe FILE`: follows a JSON-lines log as `tail -F` does. Appended lines are read as
 * they come; a rotation (the path now names another file: renamed away and created anew)
 * first finishes the old file, then reads the new one from its start; a truncation (the
 * file got shorter) reads it again from its start. A missing file is waited for. Starts at
 * the end unless told to read what is there first. `-` reads stdin until it ends.
 *
 * Lines are numbered as an editor shows them (from 1, per file generation: a rotation or
 * truncation starts again at 1), so a bad line can be named `FILE:LINE`.
 */
class FollowedFile : public QObject {
    Q_OBJECT
public:
    /// Longest line; longer ones are reported as too long and skipped.
    static constexpr qsizetype MaxLineBytes = qsizetype(1024) * 1024;

    FollowedFile(const QString &path, bool fromStart, QObject *parent = nullptr);
    ~FollowedFile() override;

    const QString &path() const { return m_path; }
    /// Starts following; false with `error` only for stdin that cannot be read. A file
    /// that does not exist yet is waited for.
    bool start(QString *error);
    void stop();
    void setPollIntervalMs(int ms) { m_pollMs = ms; }

    quint64 linesRead() const { return m_linesRead; }
    qint64 lastLineMs() const { return m_lastLineMs; }

Q_SIGNALS:
    /// One line without its line end; `number` counts from 1 in this file generation.
    void line(const QByteArray &line, qint64 number);
    /// A line over MaxLineBytes was skipped.
    void tooLong(qint64 number);
    /// Rotation, truncation, a vanished file: worth a log line, never an end.
    void notice(const QString &message);

private:
    void poll();
    bool openCurrent(bool atEnd);
    /// Reads what is new in the open file; true when it stopped at the per-poll budget.
    bool drain();
    void split(const char *data, qsizetype size);
    void flushPartial();
    void readStdin();

    QString m_path;
    bool m_fromStart;
    bool m_stdin = false;
    int m_stdinFlags = -1; ///< stdin's flags before O_NONBLOCK, restored by stop()
    /// The wait for the next poll is most of an observation's way to the screen: at 100 ms,
    /// p99 observation-to-screen was 211–244 ms at 20,000 lines/s (stickyboard-bench
    /// observe); an idle poll costs one stat() and one empty read().
    int m_pollMs = 25;
    QTimer m_timer;
    QFile m_file;
    quint64 m_device = 0, m_inode = 0; ///< identity of the open file
    qint64 m_pos = 0;
    qint64 m_number = 0; ///< lines seen in this generation
    QByteArray m_partial;
    bool m_skipping = false; ///< inside a line already reported as too long
    bool m_missingNoted = false;
    quint64 m_linesRead = 0;
    qint64 m_lastLineMs = 0;
};
