#pragma once

#include "faults/FaultSpec.h"
#include "tracker/PersistTarget.h"

#include <QList>
#include <QObject>

#include <map>
#include <memory>

/*!
 * Deterministic fault injection on the seam between tracker and store. Wraps the real
 * PersistTarget; writes in a fault's scope fail (without reaching the database) or are
 * delayed. Changeable at run time; apply() and persist() run on the injector's thread.
 *
 * Every active fault sees every write attempt in its scope, in attempt order (the order
 * of the writes across persist() calls), whether or not another fault already failed it.
 * So the same seed and the same attempts give the same failures.
 * - `fail-next=N`: the next N attempts in scope fail; then the fault is removed.
 *   activeFaults() shows the count left.
 * - `fail-rate=P[,seed=S]`: each attempt in scope draws from the fault's own
 *   mulberry32(S) (S defaults to `defaultSeed`) and fails when the draw is < P.
 * - `latency-ms=M`: each attempt in scope settles M ms later; several latencies add up.
 *   Passing writes reach the inner target only after the delay (a timer, never a
 *   blocked thread); an injected failure is reported after the delay too.
 * - `offline`: every attempt in scope fails until an `online` removes it. An unscoped
 *   `online` removes every offline fault; a scoped one those with exactly its scope.
 * - `clear`: removes every fault.
 * Decisions are made when persist() is called: changing faults later does not affect
 * writes already handed in (a delayed write still goes through after `clear`), except
 * releaseDelays(), which a shutdown calls so that no write is held any longer.
 *
 * A write failed by injection never reaches the inner target; its error names the first
 * fault that failed it, e.g. "injected failure (fail-next=2,job=j1)". Surviving writes go
 * to the inner target in one call per distinct delay; the returned future settles with
 * outcomes in the original order once every part is known. If an inner future fails with
 * an exception, its writes fail with the exception's message. With no active faults,
 * persist() is the inner target's persist().
 */
class FaultInjector : public QObject, public PersistTarget {
    Q_OBJECT
public:
    struct ActiveFault {
        FaultSpec spec;
        qint64 remaining = -1; ///< fail-next: attempts left to fail; -1 for other kinds
        quint64 hits = 0;      ///< attempts this fault failed or delayed
    };

    /// `defaultSeed` seeds fail-rate faults that name no seed.
    explicit FaultInjector(PersistTarget *inner, quint32 defaultSeed = 1,
                           QObject *parent = nullptr);
    ~FaultInjector() override;

    /// Parses and applies a spec; false with `error` naming the bad part.
    bool apply(const QString &spec, QString *error);
    void apply(const FaultSpec &spec);
    void clear();
    QList<ActiveFault> activeFaults() const;
    bool isEmpty() const;

    QFuture<PersistResults> persist(QList<PersistWrite> writes) override;

    /// Shutdown: every write a latency fault holds goes on to the inner target now, and
    /// latency faults delay nothing from here on, so every write can settle at once.
    void releaseDelays();
    /// Writes held by a latency fault right now.
    qsizetype heldWrites() const;

Q_SIGNALS:
    void faultsChanged();

private:
    struct Entry;
    struct Batch;
    void runPart(const std::shared_ptr<Batch> &batch, const QList<qsizetype> &indices);
    static void finishPart(Batch &batch);

    struct Held; ///< a part of a batch waiting for its latency
    void runHeld(quint64 id);

    PersistTarget *m_inner;
    quint32 m_defaultSeed;
    QList<std::shared_ptr<Entry>> m_faults;
    std::map<quint64, Held> m_held; ///< by id, which grows with every held part
    quint64 m_nextHeld = 0;
    bool m_delaysReleased = false;
};
