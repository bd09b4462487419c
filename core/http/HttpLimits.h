#pragma once

#include <QtGlobal>

/*!
 * What one `--listen` server lets clients take. The timeouts are fields (not constants) so
 * tests can shorten them; the command line does not expose them.
 */
struct HttpLimits {
    int maxConnections = 128;        ///< more are answered 503 and closed
    int headTimeoutMs = 10'000;      ///< from a request's first byte to the end of its headers
    int idleTimeoutMs = 30'000;      ///< between requests, and while a reply is not being read
    int bodyStallMs = 10'000;        ///< a body whose bytes stop arriving this long is dropped
    qint64 maxHeadBytes = 16 * 1024; ///< request line and headers
    int maxHeaders = 100;
    qint64 maxBodyBytes = qint64(8) * 1024 * 1024; ///< one POST /events body
    qint64 maxLineBytes = 64 * 1024;   ///< one event line; a longer one is a bad line, unbuffered
    qint64 readChunkBytes = 64 * 1024; ///< read from a socket at a time
    qint64 maxPendingOutputBytes = 1024 * 1024; ///< unread answers: no next request past this
    int sliceMs = 5; ///< event lines applied per event-loop turn, by time: /healthz stays quick
};
