#include "faults/FaultInjector.h"

#include "util/Escape.h"
#include "util/Logging.h"
#include "util/Mulberry32.h"

#include <QException>
#include <QPromise>
#include <QTimer>

#include <algorithm>
#include <limits>
#include <map>

struct FaultInjector::Entry {
    FaultSpec spec;
    qint64 remaining = -1;
    quint64 hits = 0;
    Mulberry32 rng;
    QString failure; ///< the outcome error of writes this fault fails
};

/// One persist() call that did not take the pass-through path.
struct FaultInjector::Batch {
    QList<PersistWrite> writes;
    PersistResults results; ///< injected failures filled in up front, the rest as parts settle
    qsizetype partsLeft = 0;
    QPromise<PersistResults> promise;
};

/// A delayed part: its timer, and what runs when it fires (or is released).
struct FaultInjector::Held {
    std::unique_ptr<QTimer> timer;
    std::shared_ptr<Batch> batch;
    QList<qsizetype> indices;
};

namespace {

bool inScope(const FaultSpec &spec, const PersistWrite &write)
{
    switch (spec.scope) {
    case FaultSpec::Scope::All:
        return true;
    case FaultSpec::Scope::Job:
        return write.jobId == spec.scopeId;
    case FaultSpec::Scope::Worker:
        return write.workerId == spec.scopeId;
    }
    return false;
}

// QtConcurrent wraps exceptions that are not QExceptions in QUnhandledException, whose
// what() is generic; the nested exception has the message a person can act on.
QString messageOf(const std::exception_ptr &error)
{
    try {
        std::rethrow_exception(error);
    } catch (const QUnhandledException &e) {
        if (e.exception())
            return messageOf(e.exception());
        return QStringLiteral("persist failed with an unknown error");
    } catch (const std::exception &e) {
        return QString::fromLocal8Bit(e.what());
    } catch (...) {
        return QStringLiteral("persist failed with an unknown error");
    }
}

} // namespace

FaultInjector::FaultInjector(PersistTarget *inner, quint32 defaultSeed, QObject *parent)
    : QObject(parent), m_inner(inner), m_defaultSeed(defaultSeed)
{
    Q_ASSERT(inner);
}

FaultInjector::~FaultInjector() = default;

bool FaultInjector::apply(const QString &spec, QString *error)
{
    const std::optional<FaultSpec> parsed = FaultSpec::parse(spec, error);
    if (!parsed) {
        // The caller shows the error (CLI, fault line, panel); this is for tracing only.
        qCDebug(lcFaults).noquote() << "rejected fault" << Escape::text(spec.trimmed());
        return false;
    }
    apply(*parsed);
    return true;
}

void FaultInjector::apply(const FaultSpec &spec)
{
    using Kind = FaultSpec::Kind;
    if (spec.kind == Kind::Clear) {
        clear();
        return;
    }
    if (spec.kind == Kind::Online) {
        const bool all = spec.scope == FaultSpec::Scope::All;
        const qsizetype removed = m_faults.removeIf([&](const std::shared_ptr<Entry> &e) {
            return e->spec.kind == Kind::Offline && (all || e->spec.sameScope(spec));
        });
        qCInfo(lcFaults).noquote()
            << "applied" << spec.toString() << "— removed" << removed << "offline fault(s)";
        if (removed > 0)
            Q_EMIT faultsChanged();
        return;
    }
    // parse() never builds these; a hand-made spec could, and would silently do nothing.
    if ((spec.kind == Kind::FailNext && spec.count < 1) ||
        (spec.kind == Kind::LatencyMs &&
         (spec.count < 0 || spec.count > FaultSpec::MaxLatencyMs)) ||
        (spec.kind == Kind::FailRate && !(spec.probability >= 0.0 && spec.probability <= 1.0))) {
        qCWarning(lcFaults).noquote()
            << "ignored out-of-range fault" << Escape::text(spec.toString());
        return;
    }

    auto entry = std::make_shared<Entry>();
    entry->spec = spec;
    if (spec.kind == Kind::FailNext)
        entry->remaining = spec.count;
    entry->rng = Mulberry32(spec.seed.value_or(m_defaultSeed));
    entry->failure = QStringLiteral("injected failure (%1)").arg(spec.toString());
    m_faults.append(std::move(entry));
    qCInfo(lcFaults).noquote() << "applied" << Escape::text(spec.toString());
    Q_EMIT faultsChanged();
}

void FaultInjector::clear()
{
    if (m_faults.isEmpty())
        return;
    m_faults.clear();
    qCInfo(lcFaults) << "cleared all faults";
    Q_EMIT faultsChanged();
}

QList<FaultInjector::ActiveFault> FaultInjector::activeFaults() const
{
    QList<ActiveFault> out;
    out.reserve(m_faults.size());
    for (const auto &e : m_faults)
        out.append({e->spec, e->remaining, e->hits});
    return out;
}

bool FaultInjector::isEmpty() const
{
    return m_faults.isEmpty();
}

QFuture<PersistResults> FaultInjector::persist(QList<PersistWrite> writes)
{
    if (m_faults.isEmpty())
        return m_inner->persist(std::move(writes));

    using Kind = FaultSpec::Kind;
    const qsizetype n = writes.size();
    PersistResults results(n, PersistOutcome{true, {}});
    // Writes (by index) that settle after each delay; failed ones are listed nowhere but
    // still keep their delay's part alive, so a slow failure is reported late as well.
    std::map<qint64, QList<qsizetype>> parts;
    bool anyFailed = false;
    bool countsChanged = false;

    for (qsizetype i = 0; i < n; ++i) {
        const PersistWrite &write = writes.at(i);
        const Entry *failedBy = nullptr;
        qint64 delay = 0;
        for (const auto &e : std::as_const(m_faults)) {
            if (!inScope(e->spec, write))
                continue;
            bool fails = false;
            switch (e->spec.kind) {
            case Kind::FailNext:
                fails = e->remaining > 0;
                if (fails) {
                    --e->remaining;
                    countsChanged = true;
                }
                break;
            case Kind::FailRate:
                // Draw on every attempt in scope, so the pattern depends on nothing else.
                fails = e->rng.next() < e->spec.probability;
                break;
            case Kind::LatencyMs:
                if (m_delaysReleased)
                    break; // shutting down: nothing is held any more
                // Each is <= MaxLatencyMs; the sum must stay within what QTimer takes.
                delay = std::min<qint64>(delay + e->spec.count, std::numeric_limits<int>::max());
                ++e->hits;
                break;
            case Kind::Offline:
                fails = true;
                break;
            case Kind::Online:
            case Kind::Clear:
                break; // never stored
            }
            if (fails) {
                ++e->hits;
                if (!failedBy)
                    failedBy = e.get();
            }
        }
        auto &part = parts[delay];
        if (failedBy) {
            results[i] = PersistOutcome{false, failedBy->failure};
            anyFailed = true;
            qCDebug(lcFaults).noquote() << failedBy->failure << "for job" << write.jobId;
        } else {
            part.append(i);
        }
    }

    const qsizetype expired = m_faults.removeIf([](const std::shared_ptr<Entry> &e) {
        return e->spec.kind == Kind::FailNext && e->remaining == 0;
    });
    if (expired > 0)
        qCInfo(lcFaults) << expired << "fail-next fault(s) used up and removed";
    if (countsChanged)
        Q_EMIT faultsChanged();

    if (!anyFailed && parts.size() == 1 && parts.begin()->first == 0)
        return m_inner->persist(std::move(writes)); // faults in play, none bit this call

    auto batch = std::make_shared<Batch>();
    batch->writes = std::move(writes);
    batch->results = std::move(results);
    batch->partsLeft = qsizetype(parts.size());
    batch->promise.start();
    QFuture<PersistResults> future = batch->promise.future();
    for (auto &[delay, indices] : parts) {
        if (delay == 0) {
            runPart(batch, indices);
        } else {
            const quint64 id = m_nextHeld++;
            Held &held = m_held[id];
            held.timer = std::make_unique<QTimer>();
            held.timer->setSingleShot(true);
            // Precise: a coarse timer may fire up to 5% early, and the latency is a promise.
            held.timer->setTimerType(Qt::PreciseTimer);
            connect(held.timer.get(), &QTimer::timeout, this, [this, id] { runHeld(id); });
            held.timer->start(std::chrono::milliseconds(delay));
            held.batch = batch;
            held.indices = std::move(indices);
        }
    }
    return future;
}

void FaultInjector::runHeld(quint64 id)
{
    const auto it = m_held.find(id);
    if (it == m_held.end())
        return;
    Held held = std::move(it->second);
    m_held.erase(it);
    held.timer.release()->deleteLater(); // its timeout() is what called us
    runPart(held.batch, held.indices);
}

void FaultInjector::releaseDelays()
{
    m_delaysReleased = true;
    if (m_held.empty())
        return;
    qCInfo(lcFaults) << "releasing" << heldWrites() << "write(s) held by latency faults";
    // In the order they were held; runPart() may settle inline and call back into us.
    std::map<quint64, Held> held;
    held.swap(m_held);
    for (auto &[id, h] : held) {
        h.timer->stop();
        runPart(h.batch, h.indices);
    }
}

qsizetype FaultInjector::heldWrites() const
{
    qsizetype n = 0;
    for (const auto &[id, h] : m_held)
        n += h.indices.size();
    return n;
}

void FaultInjector::runPart(const std::shared_ptr<Batch> &batch, const QList<qsizetype> &indices)
{
    if (indices.isEmpty()) {
        finishPart(*batch);
        return;
    }
    QList<PersistWrite> forward;
    forward.reserve(indices.size());
    for (const qsizetype i : indices)
        forward.append(batch->writes.at(i));
    m_inner->persist(std::move(forward)).then(this, [batch, indices](QFuture<PersistResults> done) {
        QString failure;
        PersistResults inner;
        try {
            done.waitForFinished(); // already finished; rethrows a stored exception
            if (done.isCanceled() || done.resultCount() == 0)
                failure = QStringLiteral("persist was canceled before it finished");
            else
                inner = done.result();
        } catch (...) {
            failure = messageOf(std::current_exception());
        }
        if (failure.isEmpty() && inner.size() != indices.size())
            failure = QStringLiteral("persist returned %1 outcomes for %2 writes")
                          .arg(inner.size())
                          .arg(indices.size());
        for (qsizetype k = 0; k < indices.size(); ++k)
            batch->results[indices.at(k)] =
                failure.isEmpty() ? inner.at(k) : PersistOutcome{false, failure};
        finishPart(*batch);
    });
}

void FaultInjector::finishPart(Batch &batch)
{
    if (--batch.partsLeft > 0)
        return;
    batch.promise.addResult(std::move(batch.results));
    batch.promise.finish();
}
