// PetField: drawing (the wiring lives in PetField.cpp, the pointer in PetFieldInput.cpp).
#include "PetField.h"

#include "Selection.h"
#include "Watch.h"
#include "tracker/TrackerTable.h"

#include <QPainter>
#include <QQuickWindow>

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
    const QString selected = m_selection ? m_selection->job() : QString();
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
    QString label;
    if (pet.lagging && m_tracker) {
        // Watch mode: how long the table has lagged where the gateway serves the job.
        label = Watch::formatAge((m_tracker->staleness().now() - pet.staleSinceMs) / 1000, true);
    } else if (pet.failures > 0) {
        label = pet.failures > 99 ? QStringLiteral("99+") : QString::number(pet.failures);
    }
    if (!label.isEmpty()) {
        const QImage &image = bubble(label);
        const qreal w = image.width() / image.devicePixelRatio();
        p.drawImage(
            QPointF(qRound(pos.x() + m_roster.layout().spriteSize() - w * 0.8), qRound(pos.y())),
            image);
    }
    p.setOpacity(1);
}

const QImage &PetField::bubble(const QString &text)
{
    auto it = m_bubbles.find(text);
    if (it != m_bubbles.end())
        return *it;
    if (m_bubbles.size() > 256)
        m_bubbles.clear(); // ages come and go: keep the cache small
    const qreal scale = m_roster.layout().scale();
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
    return *m_bubbles.insert(text, image);
}
