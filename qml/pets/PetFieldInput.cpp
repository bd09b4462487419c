// PetField: what is under the pointer (hover, clicks) and what QML and tests may ask of a pet.
#include "PetField.h"

#include <QHoverEvent>
#include <QMouseEvent>

namespace {
const char *moodName(PetSprites::Mood mood)
{
    switch (mood) {
    case PetSprites::Content:
        return "content";
    case PetSprites::Puzzled:
        return "puzzled";
    case PetSprites::Worried:
        break;
    }
    return "worried";
}
} // namespace

int PetField::hit(QPointF pos, bool *ghost) const
{
    *ghost = false;
    const qint64 t = now();
    const PetLayout &layout = m_roster.layout();
    const qreal size = layout.spriteSize();
    const auto &pets = m_roster.pets();
    // Topmost first, as painted: walkers, then standing pets (sprite or badge), then ghosts.
    for (int pass = 0; pass < 2; ++pass) {
        for (int i = int(pets.size()) - 1; i >= 0; --i) {
            const Pet &pet = pets[i];
            if (pet.lane < 0 || m_roster.walking(pet, t) != (pass == 0))
                continue;
            const QPointF sp = m_roster.spritePos(pet, t);
            if (QRectF(sp, QSizeF(size, size)).united(layout.badgeRect(sp)).contains(pos))
                return i;
        }
    }
    for (int i = int(pets.size()) - 1; i >= 0; --i) {
        const Pet &pet = pets[i];
        if (pet.ghostShown && QRectF(m_roster.ghostPos(pet), QSizeF(size, size)).contains(pos)) {
            *ghost = true;
            return i;
        }
    }
    return -1;
}

QVariantMap PetField::describe(const Pet &pet, bool ghost) const
{
    return {
        {QStringLiteral("job"), pet.jobId},
        {QStringLiteral("worker"), pet.workerId},
        {QStringLiteral("backend"), m_roster.backendText(pet.current)},
        {QStringLiteral("observed"), m_roster.backendText(pet.observed)},
        {QStringLiteral("stale"), pet.stale()},
        {QStringLiteral("failures"), pet.failures},
        {QStringLiteral("persistState"), PetBadge::persistText(pet.badgeState.persist)},
        {QStringLiteral("ghost"), ghost},
    };
}

QVariantMap PetField::petAt(qreal x, qreal y) const
{
    bool ghost = false;
    const int i = hit(QPointF(x, y), &ghost);
    return i < 0 ? QVariantMap() : describe(m_roster.pets()[i], ghost);
}

QVariantMap PetField::petInfo(const QString &jobId) const
{
    const int i = m_roster.indexOf(jobId);
    if (i < 0)
        return {};
    const Pet &pet = m_roster.pets()[i];
    const qint64 t = now();
    const qreal half = m_roster.layout().spriteSize() / 2.0;
    const QPointF pos = m_roster.spritePos(pet, t) + QPointF(half, half);
    QVariantMap info = describe(pet, false);
    // A pet still waiting for its first successful write stands in no lane yet.
    const int lane = pet.arriving ? -1 : pet.lane;
    info.insert(QStringLiteral("x"), pos.x());
    info.insert(QStringLiteral("y"), pos.y());
    info.insert(QStringLiteral("lane"), m_roster.laneId(lane));
    info.insert(QStringLiteral("laneIndex"), lane);
    info.insert(QStringLiteral("arriving"), pet.arriving);
    info.insert(QStringLiteral("ghostLane"),
                pet.ghostShown ? m_roster.laneId(pet.ghostLane) : QString());
    info.insert(QStringLiteral("walking"), m_roster.walking(pet, t));
    info.insert(QStringLiteral("ghostVisible"), pet.ghostShown);
    if (pet.ghostLane >= 0) {
        const QPointF ghost = m_roster.ghostPos(pet) + QPointF(half, half);
        info.insert(QStringLiteral("ghostX"), ghost.x());
        info.insert(QStringLiteral("ghostY"), ghost.y());
    }
    info.insert(QStringLiteral("ghostOpacity"), m_roster.ghostOpacity(pet, t));
    info.insert(QStringLiteral("colorIndex"), pet.colour);
    info.insert(QStringLiteral("mood"), QString::fromLatin1(moodName(pet.mood())));
    info.insert(QStringLiteral("cacheHit"), pet.hit);
    return info;
}

void PetField::hoverMoveEvent(QHoverEvent *event)
{
    bool ghost = false;
    const int i = hit(event->position(), &ghost);
    setHoveredJob(i >= 0 ? m_roster.pets()[i].jobId : QString());
}

void PetField::hoverLeaveEvent(QHoverEvent *)
{
    setHoveredJob({});
}

void PetField::mousePressEvent(QMouseEvent *event)
{
    bool ghost = false;
    const int i = hit(event->position(), &ghost);
    if (i < 0) {
        event->ignore(); // let the lane underneath have it
        return;
    }
    event->accept();
    Q_EMIT petClicked(m_roster.pets()[i].jobId, int(event->button()), event->position().x(),
                      event->position().y());
}

void PetField::setHoveredJob(const QString &job)
{
    if (job == m_hoveredJob)
        return;
    m_hoveredJob = job;
    Q_EMIT hoveredJobChanged();
    update();
}
