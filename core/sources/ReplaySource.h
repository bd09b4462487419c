#pragma once

#include "sources/EventSource.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <memory>
#include <optional>

class QFile;
class QIODevice;
class QSocketNotifier;
class TrackerTable;

/*!
 * Replays a JSONL file (or stdin, "-") as event lines. Lines are numbered from 1; blank
 * lines are skipped; bad lines are counted and reported with their number, and the replay
 * goes on.
 *
 * Pace: at speed 0 (the default) the replay is lock-step: after each line it flushes the
 * tracker and, if a write is in flight, waits for TrackerTable::settled() before reading
 * the next line. No two lines' writes overlap, so nothing coalesces and the same file
 * gives the same report every time. At speed X > 0 a line with a `ts` is due
 * (ts - first ts) / X after the first line with a `ts` was emitted (X = 2: twice as fast);
 * lines without `ts`, and lines already overdue, go at once; nothing waits for writes.
 * No line waits longer than maxWaitMs() (60 s) after the one before it: a longer gap (a
 * pause in the recorded run, or a line from another clock) is cut to that, the lines after
 * it keep their spacing, and the first cut is announced once as a warning.
 * In both modes finished() comes after the last line, once every write has settled.
 *
 * Input never blocks the event loop: regular files are read in chunks, a bounded number
 * of lines per event-loop turn; pipes and terminals (stdin, FIFOs) are read only when a
 * QSocketNotifier says they are readable; other sequential devices (QProcess, sockets)
 * on readyRead(). While a line waits (for its time or its write) nothing more is read.
 */
class ReplaySource : public EventSource {
    Q_OBJECT
public:
    /// Lines handled per event-loop turn before yielding, so a long file never freezes the UI.
    static constexpr int LinesPerTurn = 256;
    static constexpr qint64 ChunkBytes = qint64(64) * 1024;

    /// Replays `path`; "-" is stdin.
    explicit ReplaySource(const QString &path, QObject *parent = nullptr);
    /// Replays an open, readable `device` (not owned; it must outlive the replay).
    /// `name` names it in messages.
    ReplaySource(QIODevice *device, const QString &name, QObject *parent = nullptr);
    ~ReplaySource() override;

    /// 0 = lock-step; X > 0 = X times the speed the `ts` fields say.
    void setSpeed(double speed);
    double speed() const { return m_speed; }
    bool isLockStep() const { return m_speed == 0.0; }
    /// The longest wait before one line at speed X > 0, in ms (default 60 s; tests lower it).
    static constexpr qint64 MaxWaitMs = 60'000;
    void setMaxWaitMs(qint64 ms) { m_maxWaitMs = std::max<qint64>(ms, 1); }
    qint64 maxWaitMs() const { return m_maxWaitMs; }
    /// Gaps cut to maxWaitMs() so far.
    qint64 clampedGaps() const { return m_clampedGaps; }
    /// The tracker the lines end up in: lock-step and finished() wait for its writes.
    void setTracker(TrackerTable *tracker);

    /// Opens the input; false with `error` naming the path and the reason.
    bool open(QString *error);
    void start() override;
    void stop() override;
    bool isFinite() const override { return true; }
    bool isFinished() const { return m_state == State::Finished; }
    /// Lines read so far, blank and bad ones included.
    qint64 lineNumber() const { return m_lineNumber; }

protected:
    QString sourceName() const override { return m_name; }

private:
    enum class State { Idle, Running, Draining, Finished, Stopped };
    enum class Input { Sync, Fd, Signals };
    enum class Take { Line, NeedData, End };

    void schedulePump();
    void pump();
    Take takeLine(QByteArray *line);
    bool fillBuffer();
    void readFd();
    void markEnd();
    void handleLine(QByteArray raw);
    void deliver(const EventLine &line);
    void onSettled();
    void finishWhenSettled();

    QString m_path;
    QString m_name;
    std::unique_ptr<QFile> m_file;
    QIODevice *m_device = nullptr;
    std::unique_ptr<QSocketNotifier> m_notifier;
    Input m_input = Input::Sync;
    bool m_opened = false;
    bool m_deviceDone = false;

    QByteArray m_buffer;
    qsizetype m_pos = 0;  ///< start of the unread part of m_buffer
    qsizetype m_scan = 0; ///< where the search for the next '\n' resumes
    bool m_eof = false;
    bool m_discarding = false; ///< inside an over-long line, dropping bytes up to its end
    qint64 m_lineNumber = 0;

    State m_state = State::Idle;
    double m_speed = 0.0;
    QPointer<TrackerTable> m_tracker;
    QMetaObject::Connection m_settledConnection;
    bool m_waitingForSettle = false;
    bool m_pumpScheduled = false;

    std::optional<EventLine> m_pending; ///< parsed, waiting for its time
    QTimer m_paceTimer;
    QElapsedTimer m_clock;
    QDateTime m_firstTs;
    qint64 m_maxWaitMs = MaxWaitMs;
    double m_skippedMs = 0; ///< wall time cut out of long gaps: later lines are due earlier
    qint64 m_clampedGaps = 0;
};
