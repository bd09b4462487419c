#include "http/HttpConnection.h"

#include "util/Logging.h"

#include <limits>

namespace {

constexpr int drainMs = 1000; ///< after an answer to an unread body: let the client read it

/// The end of the head (just past its blank line), or -1.
qsizetype headEnd(const QByteArray &in)
{
    const qsizetype crlf = in.indexOf("\n\r\n");
    const qsizetype lf = in.indexOf("\n\n");
    if (crlf < 0 && lf < 0)
        return -1;
    if (lf < 0 || (crlf >= 0 && crlf < lf))
        return crlf + 3;
    return lf + 2;
}

/// Content-Length: digits only, no sign, no list; -1 when it is not one.
qint64 parseLength(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 15)
        return -1;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return -1;
        value = value * 10 + (c - '0');
    }
    return value;
}

} // namespace

HttpConnection::HttpConnection(const HttpLimits &limits, Handler handler, QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::timedOut);
    arm(Timeout::Idle);
}

void HttpConnection::receive(QByteArrayView data)
{
    if (m_state == State::Closed || data.isEmpty())
        return;
    if (m_state == State::Draining) {
        m_bodyLeft -= data.size(); // read and dropped: nothing is kept
        if (m_bodyLeft <= 0)
            finish();
        return;
    }
    m_in.append(data);
    if (m_state == State::Body)
        arm(Timeout::Body); // bytes are arriving: the body has not stalled
    pump();
}

void HttpConnection::receiveEnd()
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Head || m_state == State::Body)
        qCInfo(lcHttp).noquote() << "client" << peer << "left in the middle of a request";
    finish();
}

qint64 HttpConnection::inputRoom() const
{
    switch (m_state) {
    case State::Idle:
        if (outputBlocked())
            return 0;
        [[fallthrough]];
    case State::Head:
        return std::max<qint64>(0, m_limits.maxHeadBytes + 1 - m_in.size());
    case State::Body:
        if (m_sliceScheduled)
            return 0;
        return std::max<qint64>(0, m_lineBytes + m_limits.readChunkBytes - m_in.size());
    case State::Draining:
        return m_limits.readChunkBytes;
    case State::Handling:
    case State::Closed:
        return 0;
    }
    return 0;
}

void HttpConnection::outputProgress()
{
    if (m_state != State::Idle)
        return;
    if (m_in.isEmpty())
        arm(Timeout::Idle);
    if (outputBlocked() || m_inPump)
        return;
    pump();
    if (inputRoom() > 0)
        emit inputWanted();
}

bool HttpConnection::outputBlocked() const
{
    return pendingOutput && pendingOutput() > m_limits.maxPendingOutputBytes;
}

void HttpConnection::pump()
{
    if (m_inPump)
        return; // the loop below goes on with what the handler left
    m_inPump = true;
    for (;;) {
        if (m_state == State::Idle) {
            if (outputBlocked())
                break; // outputProgress() goes on once the client has read
            // Blank lines between requests are allowed (RFC 9112, 2.2).
            qsizetype skip = 0;
            while (skip < m_in.size() && (m_in[skip] == '\r' || m_in[skip] == '\n'))
                ++skip;
            m_in.remove(0, skip);
            if (m_in.isEmpty())
                break;
            m_state = State::Head;
            arm(Timeout::Head);
        }
        if (m_state == State::Head) {
            if (!takeHead())
                break;
            continue;
        }
        if (m_state == State::Body && !m_sliceScheduled) {
            const State before = m_state;
            readBodySlice();
            if (m_state == before)
                break;
            continue;
        }
        break; // Handling (the handler answers later), Draining, Closed, or a slice pending
    }
    m_inPump = false;
}

bool HttpConnection::takeHead()
{
    const qsizetype end = headEnd(m_in);
    if (end < 0 ? m_in.size() > m_limits.maxHeadBytes : end > m_limits.maxHeadBytes) {
        fail(431, QStringLiteral("the request line and headers pass %1 bytes")
                      .arg(m_limits.maxHeadBytes));
        return false;
    }
    if (end < 0)
        return false; // wait for more, within the head deadline
    int status = 400;
    QString error;
    std::optional<HttpRequestHead> head = HttpRequestHead::parse(
        QByteArrayView(m_in).first(end), m_limits.maxHeaders, &status, &error);
    m_in.remove(0, end);
    if (!head) {
        fail(status, error);
        return false;
    }
    m_request = std::move(*head);
    m_state = State::Handling;
    arm(Timeout::Idle); // a handler that never answers does not hold the connection forever
    if (!frameBody())
        return false;
    m_handler(this);
    return true;
}

bool HttpConnection::frameBody()
{
    m_bodyLength = m_bodyLeft = 0;
    const int lengths = m_request.count("content-length");
    if (m_request.count("transfer-encoding") > 0) {
        // Both headers at once is how requests are smuggled past a proxy; chunked alone is
        // legal but not needed by any client of this API.
        if (lengths > 0)
            fail(400, QStringLiteral("Transfer-Encoding and Content-Length together"));
        else
            fail(501, QStringLiteral("chunked bodies are not accepted: send Content-Length"));
        return false;
    }
    if (lengths == 0)
        return true;
    const qint64 length = parseLength(m_request.value("content-length"));
    if (lengths > 1 || length < 0) {
        fail(400, QStringLiteral("Content-Length must be one whole number"));
        return false;
    }
    m_bodyLength = m_bodyLeft = length;
    return true;
}

void HttpConnection::readLines(LineFn line, DoneFn done, qint64 maxLineBytes)
{
    if (m_state != State::Handling)
        return;
    m_lineBytes = maxLineBytes > 0 ? maxLineBytes : m_limits.maxLineBytes;
    m_lines.reset(std::move(line), m_lineBytes);
    m_done = std::move(done);
    m_state = State::Body;
    if (m_bodyLeft > 0 && m_request.value("expect").toLower() == "100-continue" && write)
        write(QByteArrayLiteral("HTTP/1.1 100 Continue\r\n\r\n"));
    arm(Timeout::Body);
    if (!m_inPump)
        pump();
}

void HttpConnection::readBodySlice()
{
    const qsizetype available = qsizetype(std::min<qint64>(m_in.size(), m_bodyLeft));
    bool timeUp = false;
    const qsizetype used =
        m_lines.take(QByteArrayView(m_in).first(available), qint64(available) == m_bodyLeft,
                     QDeadlineTimer(m_limits.sliceMs), &timeUp);
    m_in.remove(0, used);
    m_bodyLeft -= used;
    if (m_bodyLeft == 0 && !timeUp) {
        m_state = State::Handling;
        const HttpResponse response = m_done();
        m_done = {};
        reply(response);
        return;
    }
    if (timeUp) {
        // Let the event loop run (other clients, /healthz, timers) before the next slice.
        m_sliceScheduled = true;
        m_timer.stop();
        QTimer::singleShot(0, this, [this] {
            m_sliceScheduled = false;
            if (m_state != State::Body)
                return;
            arm(Timeout::Body);
            pump();
            if (inputRoom() > 0)
                emit inputWanted();
        });
    }
}

void HttpConnection::reply(const HttpResponse &response)
{
    if (m_state != State::Handling && m_state != State::Body)
        return;
    const bool unreadBody = m_bodyLeft > 0;
    const bool closing = unreadBody || !m_request.keepAlive();
    if (write)
        write(response.serialize(closing));
    m_lines = {};
    m_done = {};
    m_request = {};
    if (unreadBody) {
        // Reading on (and dropping) for a moment lets the client see the answer: closing
        // with its bytes unread would reset the connection under it.
        m_bodyLeft -= std::min<qint64>(m_in.size(), m_bodyLeft);
        m_in.clear();
        m_state = State::Draining;
        if (m_bodyLeft == 0)
            finish(); // the body was all here already
        else
            arm(Timeout::Drain);
        return;
    }
    if (closing) {
        finish();
        return;
    }
    m_state = State::Idle;
    m_bodyLength = 0;
    arm(Timeout::Idle);
    if (!m_inPump) {
        pump();
        if (inputRoom() > 0)
            emit inputWanted();
    }
}

void HttpConnection::fail(int status, const QString &message)
{
    qCInfo(lcHttp).noquote() << "client" << peer << "->" << status << message;
    if (m_state == State::Idle || m_state == State::Head)
        m_state = State::Handling; // nothing else to read in this request
    // Whatever the client sends next cannot be framed: answer, then drain until the client
    // leaves or the drain time is over, and close.
    m_bodyLeft = std::numeric_limits<qint64>::max();
    reply(HttpResponse::error(status, message));
}

void HttpConnection::finish()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    m_timer.stop();
    m_timeout = Timeout::None;
    m_in.clear();
    m_in.squeeze();
    m_lines = {};
    m_done = {};
    if (close)
        close();
}

void HttpConnection::arm(Timeout which)
{
    int ms = 0;
    switch (which) {
    case Timeout::Idle:
        ms = m_limits.idleTimeoutMs;
        break;
    case Timeout::Head:
        ms = m_limits.headTimeoutMs;
        break;
    case Timeout::Body:
        ms = m_limits.bodyStallMs;
        break;
    case Timeout::Drain:
        ms = drainMs;
        break;
    case Timeout::None:
        m_timer.stop();
        m_timeout = which;
        return;
    }
    m_timeout = which;
    m_timer.start(ms);
}

void HttpConnection::timedOut()
{
    switch (m_timeout) {
    case Timeout::Idle:
    case Timeout::Drain:
    case Timeout::None:
        finish();
        return;
    case Timeout::Head:
        fail(408,
             QStringLiteral("the headers did not arrive within %1 ms").arg(m_limits.headTimeoutMs));
        return;
    case Timeout::Body:
        fail(408, QStringLiteral("the body stopped arriving for %1 ms; it was dropped")
                      .arg(m_limits.bodyStallMs));
        return;
    }
}
