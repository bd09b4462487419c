#include "ObserveWriter.h"

#include "util/Mulberry32.h"

#include <QDateTime>
#include <QFile>

#include <algorithm>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

namespace {

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

double threadCpuSeconds()
{
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

} // namespace

ObserveWriter::ObserveWriter(const Params &params) : m_params(params) {}

ObserveWriter::~ObserveWriter()
{
    stop();
}

bool ObserveWriter::start(QString *error)
{
    m_fd = ::open(QFile::encodeName(m_params.path).constData(),
                  O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0) {
        *error = QStringLiteral("cannot open %1 for appending: %2")
                     .arg(m_params.path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    m_thread = std::thread([this] { run(); });
    ::pthread_getcpuclockid(m_thread.native_handle(), &m_cpuClock);
    return true;
}

void ObserveWriter::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

QByteArray ObserveWriter::line(int job, int worker, int backend, bool cacheHit, qint64 nowMs)
{
    // Shaped like a LiteLLM JSON log line (StandardLoggingPayload's fields), with the
    // worker in the request's metadata, as a fleet would tag it.
    QByteArray out;
    out.reserve(256);
    out += R"({"id":"req-)";
    out += QByteArray::number(nowMs);
    out += R"(","trace_id":"job-)";
    out += QByteArray::number(job);
    out += R"(","model_id":"backend-)";
    out += QByteArray::number(backend);
    out += R"(","model":"llama-3-70b","status":"success","startTime":)";
    out += QByteArray::number(double(nowMs) / 1000.0, 'f', 3);
    out += R"(,"metadata":{"worker":"worker-)";
    out += QByteArray::number(worker);
    out += R"("},"cache_hit":)";
    out += cacheHit ? "true" : "false";
    out += R"(,"cache_key":)";
    if (cacheHit)
        out += R"("kv-)" + QByteArray::number(job) + '"';
    else
        out += "null";
    out += R"(,"prompt_tokens":812,"completion_tokens":64,"response_time":0.412})";
    out += '\n';
    return out;
}

QString ObserveWriter::observeMap()
{
    return QStringLiteral("job=/trace_id,backend=/model_id,worker=/metadata/worker,"
                          "cacheKey=/cache_key,ts=/startTime");
}

void ObserveWriter::run()
{
    Mulberry32 rng(m_params.seed);
    const qint64 startNs = steadyNs();
    quint64 sent = 0;
    QByteArray buffer;
    auto next = std::chrono::steady_clock::now();
    while (!m_stop.load()) {
        next += std::chrono::milliseconds(m_params.batchMs);
        std::this_thread::sleep_until(next);
        const auto due = quint64(double(steadyNs() - startNs) / 1e9 * m_params.rate);
        if (due <= sent)
            continue;
        buffer.clear();
        const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
        for (quint64 i = sent; i < due; ++i) {
            const int job = int(rng.next() * m_params.jobs);
            int backend = job % m_params.backends;
            if (rng.next() < m_params.staleShare) // the gateway serves it elsewhere
                backend = (backend + 1 + int(rng.nextU32() % quint32(m_params.backends - 1))) %
                          m_params.backends;
            buffer += line(job, job % m_params.workers, backend, rng.next() < 0.8, nowMs);
        }
        const qint64 sentNs = steadyNs();
        for (qsizetype done = 0; done < buffer.size();) {
            const ssize_t n =
                ::write(m_fd, buffer.constData() + done, size_t(buffer.size() - done));
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) { // a full disk: the reader's backlog shows it
                m_finalCpuSeconds.store(threadCpuSeconds());
                return;
            }
            done += n;
        }
        {
            const std::lock_guard lock(m_mutex);
            m_batches.push_back({sent, due - sent, sentNs});
        }
        sent = due;
        m_written.store(sent);
    }
    m_finalCpuSeconds.store(threadCpuSeconds());
}

double ObserveWriter::cpuSeconds() const
{
    const double final = m_finalCpuSeconds.load();
    if (final >= 0 || !m_thread.joinable())
        return std::max(final, 0.0);
    timespec ts{};
    if (::clock_gettime(m_cpuClock, &ts) != 0)
        return 0;
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

void ObserveWriter::takeSentBefore(quint64 consumed, QList<qint64> *out)
{
    const std::lock_guard lock(m_mutex);
    while (!m_batches.empty()) {
        Batch &b = m_batches.front();
        if (b.first >= consumed)
            return;
        const quint64 n = std::min(b.count, consumed - b.first);
        for (quint64 i = 0; i < n; ++i)
            out->append(b.sentNs);
        b.first += n;
        b.count -= n;
        if (b.count == 0)
            m_batches.pop_front();
    }
}
