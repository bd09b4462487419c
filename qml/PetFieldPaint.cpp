// PetField: drawing and hit-testing (the wiring lives in PetField.cpp).
#include "PetField.h"

#include "Dashboard.h"

#include <QPainter>
#include <QQuickWindow>

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

void PetField::paint(QPainter *painter)
{
    QPainter &p = *painter;
    const qint64 t = now();
    const PetLayout &layout = m_roster.layout();
    const qreal dpr = window() ? window()->effectiveDevicePixelRatio() : 1.0;
    if (m_roster.scaleGeneration() != m_spriteGeneration || !qFuzzyCompare(dpr, m_dpr)) {
        m_spriteGeneration = m_roster.scaleGeneration();
        m_dpr = dpr;
        m_sprites.setSize(layout.spriteSize(), dpr);
        m_bubbles.clear();
        for (Pet &pet : m_roster.pets()) {
            pet.badge = QImage();
            pet.ghostTag = QImage();
        }
    }
    const int size = layout.spriteSize();
    const QPointF half(size / 2.0, size / 2.0);

    // Ghosts and their tethers first: the pets stand on top.
    for (Pet &pet : m_roster.pets()) {
        const qreal opacity = m_roster.ghostOpacity(pet, t);
        if (opacity <= 0 || pet.lane < 0)
            continue;
        // A thin dashed tether from the pet to its ghost while the database is stale. Opaque
        // and aliased on purpose: translucent lines are ~10x dearer in the raster engine
        // (measured: 30 of them cost more than 500 sprites).
        if (pet.ghostShown) {
            p.setPen(QPen(PetSprites::bodyColour(pet.colour).darker(160), 0, Qt::DashLine));
            p.drawLine(m_roster.spritePos(pet, t) + half, m_roster.ghostPos(pet) + half);
        }
        drawGhost(p, pet, opacity);
    }

    // Hover and selection: a soft spot under the pet, so the crowd stays readable.
    const QString selected = m_dashboard ? m_dashboard->selectedJob() : QString();
    for (const QString &job : {selected, m_hoveredJob}) {
        const int i = job.isEmpty() ? -1 : m_roster.indexOf(job);
        if (i < 0 || m_roster.pets()[i].lane < 0)
            continue;
        const QPointF c = m_roster.spritePos(m_roster.pets()[i], t) + half;
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(job == selected ? QPen(QColor(0x3f, 0x8e, 0xfc), 2) : Qt::NoPen);
        p.setBrush(QColor(255, 255, 255, 90));
        p.drawEllipse(c, size * 0.62, size * 0.62);
        p.setRenderHint(QPainter::Antialiasing, false);
    }

    // Standing pets, then walkers on top of them.
    const qint64 tick = m_animated ? t / PetFieldIdleMs : 0;
    for (int pass = 0; pass < 2; ++pass) {
        for (Pet &pet : m_roster.pets()) {
            if (pet.lane < 0 || m_roster.walking(pet, t) != (pass == 1))
                continue;
            const QPointF pos = m_roster.spritePos(pet, t);
            PetSprites::Frame frame = PetSprites::Idle0;
            bool blink = false;
            bool mirrored = false;
            if (pass == 1) {
                const qint64 step = (t - pet.walkStart) / PetFieldStepMs;
                frame = PetSprites::Frame(PetSprites::Walk0 + step % PetSprites::WalkFrames);
                mirrored = pet.facingLeft;
            } else if (m_animated) {
                const qint64 k = tick + pet.phase;
                frame = (k / 2) % 2 ? PetSprites::Idle1 : PetSprites::Idle0;
                blink = (tick + pet.phase * 3) % 19 == 0;
            }
            if (pet.arriving)
                p.setOpacity(0.45);
            p.drawImage(pos, m_sprites.pet(pet.colour, frame, pet.mood(), blink, mirrored));
            const QRectF badgeBox = layout.badgeRect(pos);
            if (pet.badge.isNull())
                pet.badge = PetBadge::render(pet.badgeState, badgeBox.size(), dpr,
                                             PetSprites::bodyColour(pet.colour));
            p.drawImage(badgeBox.topLeft(), pet.badge);
            if (pet.arriving)
                p.setOpacity(1);
        }
    }
}

void PetField::drawGhost(QPainter &p, Pet &pet, qreal opacity)
{
    const QPointF pos = m_roster.ghostPos(pet);
    const QRectF tagBox = m_roster.layout().badgeRect(pos);
    if (pet.ghostTag.isNull())
        pet.ghostTag = PetBadge::renderGhostTag(pet.badgeState.tag, tagBox.size(), m_dpr,
                                                PetSprites::bodyColour(pet.colour));
    p.setOpacity(opacity);
    p.drawImage(pos, m_sprites.ghost(pet.colour));
    p.drawImage(tagBox.topLeft(), pet.ghostTag);
    if (pet.failures > 0) {
        const QImage &bubble = failureBubble(pet.failures);
        const qreal w = bubble.width() / bubble.devicePixelRatio();
        p.drawImage(
            QPointF(qRound(pos.x() + m_roster.layout().spriteSize() - w * 0.8), qRound(pos.y())),
            bubble);
    }
    p.setOpacity(1);
}

const QImage &PetField::failureBubble(quint32 failures)
{
    auto it = m_bubbles.find(failures);
    if (it != m_bubbles.end())
        return *it;
    const qreal scale = m_roster.layout().scale();
    const QString text = failures > 99 ? QStringLiteral("99+") : QString::number(failures);
    QFont font;
    font.setBold(true);
    font.setPixelSize(std::max(7, qRound(11 * scale)));
    const qreal h = std::max(10.0, 17 * scale);
    const qreal w = std::max(h, QFontMetricsF(font).horizontalAdvance(text) + h * 0.6);
    QImage image(qCeil(w * m_dpr), qCeil(h * m_dpr), QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(m_dpr);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(Qt::white, 1.2));
    p.setBrush(QColor(0xd6, 0x45, 0x45));
    const QRectF box(0.6, 0.6, w - 1.2, h - 1.2);
    p.drawRoundedRect(box, box.height() / 2, box.height() / 2);
    p.setFont(font);
    p.drawText(box, Qt::AlignCenter, text);
    p.end();
    return *m_bubbles.insert(failures, image);
}

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
