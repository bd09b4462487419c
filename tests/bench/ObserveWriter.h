#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>
#include <deque>
#include <mutex>
#include <thread>

#include <ctime>

/*!
 * The gateway of `stickyboard-bench observe`: a thread that appends JSON access-log lines
 * to a file at a steady rate, in one write() per batch, and remembers when each line was
 * appended (steady clock, ns). Lines are numbered from 0 in file order, so whoever reads
 * the file can ask for the send times of the lines it has consumed.
 */
class ObserveWriter {
public:
    struct Params {
        QString path;
        double rate = 20'000;     ///< lines per second
        int jobs = 100'000;       ///< job-<j>, uniformly at random
        int workers = 500;        ///< job j runs on worker-<j % workers>
        int backends = 8;         ///< the table holds backend-<j % backends> for job j
        double staleShare = 0.01; ///< share of lines naming another backend than the table's
        int batchMs = 10;
        quint32 seed = 42;
    };

    explicit ObserveWriter(const Params &params);
    ~ObserveWriter();
    ObserveWriter(const ObserveWriter &) = delete;
    ObserveWriter &operator=(const ObserveWriter &) = delete;

    /// Opens the file for appending (created if missing) and starts the thread.
    bool start(QString *error);
    /// Stops the thread; idempotent.
    void stop();

    /// Moves the send times of every line numbered below `consumed` to `out`.
    void takeSentBefore(quint64 consumed, QList<qint64> *out);
    quint64 linesWritten() const { return m_written.load(); }
    /// CPU seconds the writer thread has used so far (final after stop()).
    double cpuSeconds() const;
    /// The JSON line (with '\n') the writer would send for `job` on `backend`.
    static QByteArray line(int job, int worker, int backend, bool cacheHit, qint64 nowMs);
    /// The --observe-map that maps line()'s fields.
    static QString observeMap();

private:
    void run();

    Params m_params;
    int m_fd = -1;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<quint64> m_written{0};
    clockid_t m_cpuClock{}; ///< the writer thread's CPU clock, while it runs
    std::atomic<double> m_finalCpuSeconds{-1};
    struct Batch {
        quint64 first;
        quint64 count;
        qint64 sentNs;
    };
    std::mutex m_mutex;
    std::deque<Batch> m_batches; ///< guarded by m_mutex
};
