#include "http/BodyLines.h"

void BodyLines::reset(LineFn line, qint64 maxLineBytes)
{
    m_line = std::move(line);
    m_maxLineBytes = maxLineBytes;
    m_number = 0;
    m_skipping = false;
}

qsizetype BodyLines::take(QByteArrayView body, bool last, const QDeadlineTimer &deadline,
                          bool *timeUp)
{
    *timeUp = false;
    qsizetype pos = 0;
    for (;;) {
        const qsizetype newline = body.indexOf('\n', pos);
        if (newline < 0)
            break;
        emitLine(body.sliced(pos, newline - pos));
        pos = newline + 1;
        if (deadline.hasExpired()) {
            *timeUp = true;
            return pos;
        }
    }
    const qsizetype partial = body.size() - pos;
    if (last && partial > 0) { // the last line needs no newline
        emitLine(body.sliced(pos));
        pos = body.size();
    } else if (partial > m_maxLineBytes) {
        if (!m_skipping)
            m_line({}, ++m_number, true);
        m_skipping = true; // drop it as it comes, up to its newline
        pos = body.size();
    }
    return pos;
}

void BodyLines::emitLine(QByteArrayView line)
{
    if (m_skipping) {
        m_skipping = false; // the end of a line already reported as too long
        return;
    }
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.size() > m_maxLineBytes)
        m_line({}, ++m_number, true);
    else
        m_line(line, ++m_number, false);
}
