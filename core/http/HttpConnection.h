#pragma once

#include "http/BodyLines.h"
#include "http/HttpLimits.h"
#include "http/HttpRequestHead.h"
#include "http/HttpResponse.h"

#include <QByteArray>
#include <QObject>
#include <QTimer>

#include <functional>

/*!
 * One HTTP/1.1 connection as a state machine over bytes, with no socket: the transport
 * (GuardedTcpServer, a test, the fuzzer) hands it what arrived with receive() and carries
 * out `write` and `close`. It owns every limit that must act before a request is complete:
 * the header deadline, the idle and stalled-body timeouts, the size of the head, and the
 * memory a body may take (a body is never held whole: readLines() streams it one line at a
 * time, a slice of lines per event-loop turn). Keep-alive and pipelined requests are served
 * in order; bodies need a Content-Length (chunked uploads get 501).
 */
class HttpConnection : public QObject {
    Q_OBJECT
public:
    /// Called once per request whose head parsed; it answers with reply(), now or later, or
    /// takes the body with readLines().
    using Handler = std::function<void(HttpConnection *)>;
    /// One body line without its "\n" (and "\r"); `tooLong`: over HttpLimits::maxLineBytes,
    /// skipped unread, `line` empty.
    using LineFn = BodyLines::LineFn;
    using DoneFn = std::function<HttpResponse()>;

    HttpConnection(const HttpLimits &limits, Handler handler, QObject *parent = nullptr);

    std::function<void(const QByteArray &)> write; ///< bytes for the client
    std::function<void()> close; ///< end the connection once the written bytes are out
    QString peer;                ///< for the log: the client's address
    /// Bytes written and not yet taken by the client: past HttpLimits::maxPendingOutputBytes
    /// the next request waits (a client that pipelines and never reads cannot grow them).
    std::function<qint64()> pendingOutput;

    void receive(QByteArrayView data);
    /// The client has stopped sending (or is gone): an unfinished request is dropped.
    void receiveEnd();
    /// How many bytes the transport may hand over now; 0 pauses reading (see inputWanted).
    qint64 inputRoom() const;
    /// The transport saw output drain: a slow reader is not idle, a blocked one may go on.
    void outputProgress();
    bool isClosed() const { return m_state == State::Closed; }
    /// Waiting for nothing but the client: no handler at work, no slice scheduled.
    bool isIdle() const { return m_state == State::Idle; }
    qint64 bufferedBytes() const { return m_in.size(); }

    const HttpRequestHead &request() const { return m_request; }
    /// The body's declared length (0 without one).
    qint64 bodyLength() const { return m_bodyLength; }
    /// Answers the current request. An unread body closes the connection after the answer.
    void reply(const HttpResponse &response);
    /// Streams the body to `line`; `done` makes the answer once the last byte is in.
    /// `maxLineBytes` > 0 raises the line limit for this request (a body that is one JSON
    /// document on one line), at the cost of holding that much.
    void readLines(LineFn line, DoneFn done, qint64 maxLineBytes = 0);

Q_SIGNALS:
    /// inputRoom() was 0 and is not any more.
    void inputWanted();

private:
    enum class State { Idle, Head, Handling, Body, Draining, Closed };
    enum class Timeout { None, Idle, Head, Body, Drain };

    void pump();
    bool outputBlocked() const;
    bool takeHead();
    bool frameBody();
    void readBodySlice();
    void fail(int status, const QString &message);
    void finish();
    void arm(Timeout which);
    void timedOut();

    HttpLimits m_limits;
    Handler m_handler;
    State m_state = State::Idle;
    QByteArray m_in; ///< bytes received and not yet used; bounded by inputRoom()
    HttpRequestHead m_request;
    qint64 m_bodyLength = 0;
    qint64 m_bodyLeft = 0; ///< body bytes not yet taken from m_in (or still to arrive)
    BodyLines m_lines;
    qint64 m_lineBytes = 0; ///< this request's line limit
    DoneFn m_done;
    bool m_inPump = false;
    bool m_sliceScheduled = false;
    QTimer m_timer;
    Timeout m_timeout = Timeout::None;
};
