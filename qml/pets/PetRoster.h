#pragma once

#include "PetBadge.h"
#include "PetLayout.h"
#include "PetSprites.h"

#include <QHash>
#include <QImage>
#include <QList>
#include <QStringList>

#include <vector>

class TrackerTable;

/// One drawn pet: a job, where it stands, where it walks, its ghost and its badge.
struct Pet {
    static constexpr quint32 None = 0xffffffffu;

    quint32 job = None;
    QString jobId;
    QString workerId;
    int colour = 0;
    quint8 phase = 0; ///< idle animation offset, so the crowd does not bob in lock-step

    // From the tracker (refresh()).
    quint32 current = None;  ///< persisted backend: the lane the pet stands in
    quint32 observed = None; ///< where the job really runs: the ghost's lane when stale
    quint32 failures = 0;
    bool saving = false;
    bool retryPending = false;
    bool hit = false;
    /// Watch mode: the table has lagged the gateway past the grace (a write was lost).
    bool lagging = false;
    qint64 staleSinceMs = 0; ///< watch mode: when table and gateway began to differ

    // Placement.
    int lane = -1;
    int slot = -1;
    bool arriving = false; ///< nothing persisted yet: drawn faint in the observed lane
    QPointF walkFrom;
    qint64 walkStart = -1;
    bool facingLeft = false;

    // Ghost: shown while a write failed and the job runs elsewhere; fades in and out.
    bool ghostShown = false;
    bool ghostOwnsSlot = false; ///< false once the pet inherited the slot it is walking into
    int ghostLane = -1;
    int ghostSlot = -1;
    qint64 ghostSince = 0;

    PetBadge::State badgeState;
    QImage badge;    ///< null: render before the next paint
    QImage ghostTag; ///< likewise, for the ghost

    bool hasEvent() const { return observed != None; }
    bool stale() const { return observed != None && observed != current; }
    PetSprites::Mood mood() const
    {
        if (failures > 0 || retryPending || lagging)
            return PetSprites::Worried;
        return hit || !hasEvent() ? PetSprites::Content : PetSprites::Puzzled;
    }
};

/*!
 * The pets and their motion, without drawing: mirrors the tracker's state for the chosen
 * jobs and turns changes of the persisted backend into walks and failed writes into ghosts.
 * Everything animated is a function of time (walkStart, ghostSince), so queries and tests
 * see the same positions the next paint draws.
 */
class PetRoster {
public:
    static constexpr qint64 WalkMs = 1000;
    static constexpr qint64 GhostInMs = 250;
    static constexpr qint64 GhostOutMs = 700;

    void setTracker(const TrackerTable *tracker);
    /// Backend ids in lane order; everyone is placed again (no walking).
    void setLanes(const QStringList &lanes);
    const QStringList &lanes() const { return m_lanes; }
    void setGeometry(const QSizeF &size);
    void setAnimated(bool animated) { m_animated = animated; }

    /// The jobs that get pets, in order; existing pets keep their place and motion.
    void setMembers(const QList<quint32> &jobs, qint64 now);
    /// Takes the tracker's state for those of `jobs` that have pets.
    void refresh(const QList<quint32> &jobs, qint64 now);
    /// Ends finished walks and fades; true while anything still moves.
    bool advance(qint64 now);

    const std::vector<Pet> &pets() const { return m_pets; }
    std::vector<Pet> &pets() { return m_pets; }
    int indexOf(const QString &jobId) const { return m_byId.value(jobId, -1); }
    const PetLayout &layout() const { return m_layout; }
    /// Bumped whenever the layout scale changes: sprites and badges must be rendered again.
    int scaleGeneration() const { return m_scaleGeneration; }

    QPointF spritePos(const Pet &pet, qint64 now) const;
    QPointF ghostPos(const Pet &pet) const
    {
        return m_layout.spritePos(pet.ghostLane, pet.ghostSlot);
    }
    bool walking(const Pet &pet, qint64 now) const
    {
        return pet.walkStart >= 0 && now - pet.walkStart < WalkMs;
    }
    qreal ghostOpacity(const Pet &pet, qint64 now) const;
    QString laneId(int lane) const { return lane >= 0 ? m_lanes.value(lane) : QString(); }
    QString backendText(quint32 backend) const;

private:
    int laneOf(quint32 backend);
    void pull(Pet &pet);
    void place(Pet &pet, qint64 now);
    void release(Pet &pet);
    void releaseGhost(Pet &pet);
    void replaceAll();
    void refit();

    const TrackerTable *m_tracker = nullptr;
    QStringList m_lanes;
    QList<int> m_laneOfBackend; ///< by interned backend; -2 = not looked up yet
    PetLayout m_layout;
    std::vector<Pet> m_pets;
    QHash<QString, int> m_byId;
    QHash<quint32, int> m_byJob;
    bool m_animated = true;
    int m_scaleGeneration = 0;
};
