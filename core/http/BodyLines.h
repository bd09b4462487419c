#pragma once

#include <QByteArrayView>
#include <QDeadlineTimer>

#include <functional>

/*!
 * Cuts a request body into lines as its bytes arrive, holding none of them: the caller keeps
 * at most one unfinished line (and a read's worth after it). A line longer than the limit is
 * reported once as too long and skipped up to its newline; "\r\n" ends a line like "\n".
 */
class BodyLines {
public:
    /// `line` without its line end; `tooLong`: over the limit, skipped, `line` empty.
    using LineFn = std::function<void(QByteArrayView line, qint64 number, bool tooLong)>;

    void reset(LineFn line, qint64 maxLineBytes);

    /// Hands out the complete lines at the front of `body` (the body's bytes received so far,
    /// not yet taken; `last`: no more will come) until `deadline` passes. Returns how many
    /// bytes were taken; `*timeUp` when it stopped for the deadline with lines left.
    qsizetype take(QByteArrayView body, bool last, const QDeadlineTimer &deadline, bool *timeUp);

private:
    void emitLine(QByteArrayView line);

    LineFn m_line;
    qint64 m_maxLineBytes = 0;
    qint64 m_number = 0;
    bool m_skipping = false; ///< inside a line already reported as too long
};
