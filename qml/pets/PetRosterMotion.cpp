// The roster over time: walks and ghost fades as functions of the clock.
#include "PetRoster.h"

#include <QEasingCurve>

#include <algorithm>

bool PetRoster::advance(qint64 now)
{
    bool moving = false;
    for (Pet &pet : m_pets) {
        if (pet.walkStart >= 0) {
            if (walking(pet, now))
                moving = true;
            else
                pet.walkStart = -1;
        }
        if (pet.ghostShown) {
            moving |= now - pet.ghostSince < GhostInMs;
        } else if (pet.ghostLane >= 0) {
            if (now - pet.ghostSince < GhostOutMs)
                moving = true;
            else
                releaseGhost(pet);
        }
    }
    return moving;
}

QPointF PetRoster::spritePos(const Pet &pet, qint64 now) const
{
    const QPointF target = m_layout.spritePos(pet.lane, pet.slot);
    if (!walking(pet, now))
        return target;
    static const QEasingCurve ease(QEasingCurve::InOutQuad);
    const qreal t = ease.valueForProgress(qreal(now - pet.walkStart) / WalkMs);
    const QPointF p = pet.walkFrom + (target - pet.walkFrom) * t;
    return {qreal(qRound(p.x())), qreal(qRound(p.y()))};
}

qreal PetRoster::ghostOpacity(const Pet &pet, qint64 now) const
{
    if (pet.ghostLane < 0)
        return 0;
    const qreal t = qreal(now - pet.ghostSince);
    if (pet.ghostShown)
        return std::clamp(t / GhostInMs, 0.0, 1.0);
    return std::clamp(1.0 - t / GhostOutMs, 0.0, 1.0);
}
