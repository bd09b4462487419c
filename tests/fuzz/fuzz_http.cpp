// Raw bytes from a client through the whole HTTP handler chain with no socket: head parsing,
// framing, Host/Origin/token checks, routing, POST /events streamed into a real Session
// (ingest mode, in-memory SQLite). Input: one byte choosing the piece size the bytes arrive
// in, then the bytes. Invariants: the connection never buffers past its limits, and what it
// writes is a sequence of well-formed responses (status line, Content-Length that matches).
#include "http/HttpApi.h"
#include "http/HttpConnection.h"
#include "session/Session.h"
#include "store/DbUrl.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QStandardPaths>
#include <QThread>

#include <cstdio>
#include <cstdlib>

namespace {

void check(bool condition, const char *what, const QByteArray &detail = {})
{
    if (condition)
        return;
    std::fprintf(stderr, "fuzz invariant broken: %s\n%s\n", what, detail.left(2000).constData());
    std::abort();
}

struct World {
    QCoreApplication *app = nullptr;
    Session *session = nullptr;
    HttpApi *api = nullptr;
    HttpLimits limits;
};

World &world()
{
    static World w;
    return w;
}

/// Every response: a status line, headers with one Content-Length, that many body bytes.
void checkResponses(const QByteArray &out)
{
    qsizetype at = 0;
    while (at < out.size()) {
        check(out.sliced(at).startsWith("HTTP/1.1 "), "output is not a response", out);
        const qsizetype headEnd = out.indexOf("\r\n\r\n", at);
        check(headEnd > 0, "a response head does not end", out);
        const QByteArray head = out.sliced(at, headEnd - at);
        at = headEnd + 4;
        if (head.startsWith("HTTP/1.1 100 "))
            continue;
        const qsizetype length = head.indexOf("\r\nContent-Length: ");
        check(length > 0, "a response has no Content-Length", head);
        const qsizetype body = head.mid(length + 18).split('\r').value(0).toLongLong();
        check(at + body <= out.size(), "a response body is shorter than announced", out);
        at += body;
    }
}

/// Lets slices and the store's answers run; true once the connection waits for input.
void settle(HttpConnection *connection)
{
    for (int spin = 0; spin < 400; ++spin) {
        QCoreApplication::processEvents();
        if (connection->isClosed() || connection->inputRoom() > 0)
            return;
        QThread::usleep(250); // the report is read on the store's thread
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    World &w = world();
    w.app = new QCoreApplication(*argc, *argv);
    QStandardPaths::setTestModeEnabled(true);
    QLoggingCategory::setFilterRules(QStringLiteral("stickyboard.*=false\nqt.*=false"));
    QString error;
    Session::Options options;
    options.mode = Session::Mode::Ingest;
    w.session = new Session(options, *DbUrl::parse(QStringLiteral("sqlite::memory:"), &error));
    bool ready = false;
    QObject::connect(w.session, &Session::ready, [&ready] { ready = true; });
    w.session->start();
    for (int i = 0; i < 20'000 && !ready; ++i) {
        QCoreApplication::processEvents();
        QThread::usleep(500);
    }
    check(ready, "the session did not start");
    HttpApi::Options api;
    api.listen.port = 9464;
    api.token = QStringLiteral("fuzz-token");
    api.names = {QStringLiteral("fuzz.example")};
    api.origins = {QStringLiteral("http://ok.example")};
    api.maxBodyBytes = 64 * 1024; // small limits: the fuzzer reaches them
    api.limits.maxHeadBytes = 4096;
    api.limits.maxHeaders = 20;
    api.limits.maxLineBytes = 1024;
    api.limits.readChunkBytes = 2048;
    w.limits = api.limits;
    w.api = new HttpApi(w.session);
    check(w.api->configure(api, &error), "configure failed", error.toUtf8());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    World &w = world();
    const qsizetype piece = data[0] == 0 ? qsizetype(size) : qsizetype(data[0]);
    const QByteArrayView input(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    QByteArray out;
    bool closed = false;
    HttpConnection *connection = w.api->newConnection(nullptr);
    connection->write = [&out](const QByteArray &bytes) { out += bytes; };
    connection->close = [&closed] { closed = true; };
    const qint64 bound =
        std::max(w.limits.maxHeadBytes + 1, w.limits.maxLineBytes + w.limits.readChunkBytes);
    qsizetype at = 0;
    while (at < input.size() && !connection->isClosed()) {
        qint64 room = connection->inputRoom();
        if (room <= 0) {
            settle(connection);
            room = connection->inputRoom();
            if (room <= 0)
                break; // still busy: the bytes after this stay unread, as in the kernel
        }
        const qsizetype n = qsizetype(std::min<qint64>({room, piece, input.size() - at}));
        connection->receive(input.sliced(at, n));
        at += n;
        check(connection->bufferedBytes() <= bound, "a connection buffers past its limits");
    }
    settle(connection);
    connection->receiveEnd();
    check(closed, "receiveEnd did not close");
    checkResponses(out);
    delete connection;
    return 0;
}
