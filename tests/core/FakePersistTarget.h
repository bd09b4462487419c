#pragma once

#include "tracker/PersistTarget.h"

#include <QElapsedTimer>
#include <QException>
#include <QHash>
#include <QPromise>

#include <algorithm>
#include <vector>

/// A QException that keeps its message (the base class answers "std::exception").
class FakeStoreError : public QException {
public:
    explicit FakeStoreError(QByteArray message) : m_message(std::move(message)) {}
    const char *what() const noexcept override { return m_message.constData(); }
    void raise() const override { throw *this; }
    FakeStoreError *clone() const override { return new FakeStoreError(*this); }

private:
    QByteArray m_message;
};

/*!
 * A controllable PersistTarget for tracker tests. Records every persist() call and hands
 * back a future the test settles explicitly, with chosen outcomes, in any order. Plays the
 * database too: a successful write updates db(). Records how many writes for one job were
 * outstanding at once, so "never two writes in flight per job" can be checked anywhere.
 */
class FakePersistTarget : public PersistTarget {
public:
    struct Call {
        QList<PersistWrite> writes;
        QPromise<PersistResults> promise;
        qint64 atMs = 0; ///< since the fake was made
        bool done = false;
    };

    FakePersistTarget() { m_clock.start(); }

    QFuture<PersistResults> persist(QList<PersistWrite> writes) override
    {
        for (const PersistWrite &w : std::as_const(writes)) {
            const int outstanding = ++m_outstanding[w.jobId];
            m_maxOutstandingPerJob = std::max(m_maxOutstandingPerJob, outstanding);
        }
        Call call;
        call.writes = std::move(writes);
        call.atMs = m_clock.elapsed();
        call.promise.start();
        QFuture<PersistResults> future = call.promise.future();
        m_open.append(qsizetype(m_calls.size()));
        m_calls.push_back(std::move(call));
        return future;
    }

    qsizetype callCount() const { return qsizetype(m_calls.size()); }
    const QList<PersistWrite> &writes(qsizetype call) const { return m_calls.at(call).writes; }
    qint64 calledAtMs(qsizetype call) const { return m_calls.at(call).atMs; }
    qint64 nowMs() const { return m_clock.elapsed(); }
    bool isDone(qsizetype call) const { return m_calls.at(call).done; }
    /// Calls not settled yet, in no particular order.
    const QList<qsizetype> &openCalls() const { return m_open; }
    /// Every write handed out so far, in order.
    QList<PersistWrite> allWrites() const
    {
        QList<PersistWrite> all;
        for (const Call &c : m_calls)
            all += c.writes;
        return all;
    }
    int maxOutstandingPerJob() const { return m_maxOutstandingPerJob; }
    int outstanding(const QString &jobId) const { return m_outstanding.value(jobId); }
    const QHash<QString, QString> &db() const { return m_db; }
    void setDb(const QString &jobId, const QString &backend) { m_db.insert(jobId, backend); }

    /// Settles a call with one outcome per write (true = durable).
    void complete(qsizetype call, const QList<bool> &ok)
    {
        PersistResults results;
        for (const bool each : ok)
            results.append(each ? PersistOutcome{true, {}}
                                : PersistOutcome{false, QStringLiteral("disk on fire")});
        completeWith(call, results);
    }
    void completeWith(qsizetype call, const PersistResults &results)
    {
        QPromise<PersistResults> promise = take(call);
        const QList<PersistWrite> &ws = m_calls[call].writes;
        for (qsizetype i = 0; i < std::min(ws.size(), results.size()); ++i)
            if (results[i].ok)
                m_db.insert(ws[i].jobId, ws[i].toBackend);
        promise.addResult(results);
        // Finishing runs the tracker's continuation right here, which may call persist()
        // again: nothing of m_calls may be held across this line.
        promise.finish();
    }
    void succeed(qsizetype call) { complete(call, QList<bool>(writes(call).size(), true)); }
    void fail(qsizetype call) { complete(call, QList<bool>(writes(call).size(), false)); }
    void throwException(qsizetype call, const QByteArray &message)
    {
        QPromise<PersistResults> promise = take(call);
        promise.setException(FakeStoreError(message));
        promise.finish();
    }
    /// Drops the promise unfinished, as a store that shuts down mid-write would.
    void cancel(qsizetype call)
    {
        QPromise<PersistResults> promise = take(call);
        promise.future().cancel();
        promise.finish();
    }

private:
    QPromise<PersistResults> take(qsizetype call)
    {
        Call &c = m_calls.at(call);
        Q_ASSERT(!c.done);
        c.done = true;
        m_open.removeOne(call);
        for (const PersistWrite &w : std::as_const(c.writes))
            --m_outstanding[w.jobId];
        return std::move(c.promise);
    }

    std::vector<Call> m_calls;
    QList<qsizetype> m_open;
    QHash<QString, int> m_outstanding;
    QHash<QString, QString> m_db;
    int m_maxOutstandingPerJob = 0;
    QElapsedTimer m_clock;
};
