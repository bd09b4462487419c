#include "PetRoster.h"

#include "tracker/TrackerTable.h"

void PetRoster::setTracker(const TrackerTable *tracker)
{
    m_tracker = tracker;
    m_pets.clear();
    m_byId.clear();
    m_byJob.clear();
    m_laneOfBackend.clear();
    m_layout.resetSlots();
}

void PetRoster::setLanes(const QStringList &lanes)
{
    m_lanes = lanes;
    m_laneOfBackend.clear();
    m_layout.setGeometry(m_layout.size(), int(lanes.size()));
    replaceAll();
}

void PetRoster::setGeometry(const QSizeF &size)
{
    m_layout.setGeometry(size, int(m_lanes.size()));
    // Walks start from pixel positions that no longer mean anything: snap to the new cells.
    for (Pet &pet : m_pets)
        pet.walkStart = -1;
    refit();
}

QString PetRoster::backendText(quint32 backend) const
{
    return m_tracker ? m_tracker->backendText(backend) : QString();
}

int PetRoster::laneOf(quint32 backend)
{
    if (backend == Pet::None || !m_tracker)
        return -1;
    // Interned backend ids never change their text, so the lookup is cached until lanes change.
    if (backend >= quint32(m_laneOfBackend.size()))
        m_laneOfBackend.resize(backend + 1, -2);
    int &lane = m_laneOfBackend[backend];
    if (lane == -2)
        lane = int(m_lanes.indexOf(m_tracker->backendText(backend)));
    return lane;
}

void PetRoster::setMembers(const QList<quint32> &jobs, qint64 now)
{
    std::vector<Pet> next;
    next.reserve(jobs.size());
    QHash<quint32, int> byJob;
    byJob.reserve(jobs.size());
    bool added = false;
    for (const quint32 job : jobs) {
        const int old = m_byJob.value(job, -1);
        if (old >= 0) {
            next.push_back(std::move(m_pets[old]));
            m_pets[old].job = Pet::None; // moved: not released below
        } else {
            Pet pet;
            pet.job = job;
            pet.jobId = m_tracker->jobId(job);
            pet.workerId = m_tracker->workerId(job);
            pet.colour = PetSprites::colourIndex(pet.workerId);
            pet.phase = quint8(qHash(pet.jobId) % 7);
            next.push_back(std::move(pet));
            added = true;
        }
        byJob.insert(job, int(next.size() - 1));
    }
    for (Pet &gone : m_pets) {
        if (gone.job != Pet::None)
            release(gone);
    }
    m_pets = std::move(next);
    m_byJob = std::move(byJob);
    m_byId.clear();
    for (int i = 0; i < int(m_pets.size()); ++i)
        m_byId.insert(m_pets[i].jobId, i);
    if (added) {
        // Newcomers appear in place: they have no earlier position to walk from.
        for (Pet &pet : m_pets) {
            if (pet.lane < 0) {
                pull(pet);
                place(pet, now);
            }
        }
    }
    refit();
}

void PetRoster::refresh(const QList<quint32> &jobs, qint64 now)
{
    bool any = false;
    for (const quint32 job : jobs) {
        const int i = m_byJob.value(job, -1);
        if (i < 0)
            continue;
        pull(m_pets[i]);
        place(m_pets[i], now);
        any = true;
    }
    if (any)
        refit();
}

void PetRoster::pull(Pet &pet)
{
    const JobState &s = m_tracker->state(pet.job);
    pet.current = s.current;
    pet.observed = s.observed;
    pet.failures = s.consecutiveFailures;
    pet.saving = s.saving();
    pet.retryPending = s.retryPending();
    pet.hit = !s.cacheKey.isNull();
    // Watch mode: within the grace the workers' write may still land ("saving"); past it
    // the table lags for real, and the ghost shows where the gateway serves the job.
    const bool watching = m_tracker->watchesStaleness();
    pet.staleSinceMs = watching ? m_tracker->staleness().since(pet.job) : 0;
    pet.lagging = watching && pet.staleSinceMs > 0 && m_tracker->isStale(pet.job);

    PetBadge::State badge;
    badge.tag = PetBadge::shortId(pet.jobId);
    badge.backend = PetBadge::shortId(m_tracker->backendText(s.current));
    badge.persist = pet.lagging              ? PetBadge::Persist::Stale
                    : pet.staleSinceMs > 0   ? PetBadge::Persist::Saving
                    : s.saving()             ? PetBadge::Persist::Saving
                    : s.retryPending()       ? PetBadge::Persist::RetryPending
                    : s.current == Pet::None ? PetBadge::Persist::Unresolved
                                             : PetBadge::Persist::Saved;
    badge.failures = s.consecutiveFailures;
    badge.hasEvent = pet.hasEvent();
    badge.hit = pet.hit;
    badge.stale = (s.consecutiveFailures > 0 || pet.lagging) && s.stale();
    if (!(badge == pet.badgeState)) {
        pet.badgeState = badge;
        pet.badge = QImage();
    }
}

void PetRoster::place(Pet &pet, qint64 now)
{
    // The pet stands where the database says (current); before the first successful write
    // it waits, faint, where the job runs.
    const int target = laneOf(pet.current != Pet::None ? pet.current : pet.observed);
    pet.arriving = pet.current == Pet::None;
    const bool showGhost =
        pet.current != Pet::None && (pet.failures > 0 || pet.lagging) && pet.stale();
    const int ghostLane = showGhost ? laneOf(pet.observed) : -1;

    int inherited = -1;
    if (pet.ghostShown && ghostLane != pet.ghostLane) {
        pet.ghostShown = false;
        pet.ghostSince = now;
        // The retry succeeded: walk into the ghost's own cell while it fades out there.
        if (target == pet.ghostLane && target != pet.lane && pet.ghostOwnsSlot) {
            inherited = pet.ghostSlot;
            pet.ghostOwnsSlot = false;
        }
        if (!m_animated)
            releaseGhost(pet);
    }

    if (target != pet.lane) {
        const bool walk = m_animated && pet.lane >= 0 && target >= 0;
        const QPointF from = walk ? spritePos(pet, now) : QPointF();
        m_layout.freeSlot(pet.lane, pet.slot);
        pet.lane = target;
        pet.slot = inherited >= 0 ? inherited : m_layout.takeSlot(target);
        pet.walkStart = walk ? now : -1;
        pet.walkFrom = from;
        pet.facingLeft = walk && m_layout.spritePos(target, pet.slot).x() < from.x();
    }

    if (ghostLane >= 0 && !pet.ghostShown) {
        releaseGhost(pet); // one still fading elsewhere
        pet.ghostShown = true;
        pet.ghostOwnsSlot = true;
        pet.ghostLane = ghostLane;
        pet.ghostSlot = m_layout.takeSlot(ghostLane);
        pet.ghostSince = m_animated ? now : now - GhostInMs;
    }
}

void PetRoster::releaseGhost(Pet &pet)
{
    if (pet.ghostOwnsSlot)
        m_layout.freeSlot(pet.ghostLane, pet.ghostSlot);
    pet.ghostOwnsSlot = false;
    pet.ghostLane = -1;
    pet.ghostSlot = -1;
}

void PetRoster::release(Pet &pet)
{
    releaseGhost(pet);
    m_layout.freeSlot(pet.lane, pet.slot);
    pet.lane = -1;
    pet.slot = -1;
}

void PetRoster::replaceAll()
{
    m_layout.resetSlots();
    for (Pet &pet : m_pets) {
        pet.lane = pet.slot = -1;
        pet.ghostShown = pet.ghostOwnsSlot = false;
        pet.ghostLane = pet.ghostSlot = -1;
        pet.walkStart = -1;
        if (m_tracker)
            pull(pet);
        place(pet, 0);
        if (pet.ghostShown)
            pet.ghostSince -= GhostInMs; // already there, not fading in
    }
    refit();
}

void PetRoster::refit()
{
    if (!m_layout.fit())
        return;
    ++m_scaleGeneration;
    for (Pet &pet : m_pets) {
        pet.walkStart = -1;
        pet.badge = QImage();
        pet.ghostTag = QImage();
    }
}
