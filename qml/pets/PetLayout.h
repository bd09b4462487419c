#pragma once

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QSizeF>

/*!
 * Where pets stand: equal-width lanes across the field, a grid of cells inside each lane,
 * and sticky slots. A pet keeps its slot until it leaves the lane and a newcomer takes the
 * lowest free one, so a switch moves one pet, not the whole lane. The cell scale shrinks in
 * steps until the most crowded lane fits the height.
 */
class PetLayout {
public:
    /// Cell and sprite size at scale 1, in logical pixels.
    static constexpr qreal CellWidth = 76;
    static constexpr qreal CellHeight = 84;
    static constexpr qreal SpriteSize = 48;
    static constexpr qreal LanePadding = 6;

    void setGeometry(const QSizeF &size, int laneCount);
    QSizeF size() const { return m_size; }
    int laneCount() const { return int(m_lanes.size()); }

    /// Clears every slot (lanes changed: everyone is placed again).
    void resetSlots();
    /// The lowest free slot in `lane`, now taken.
    int takeSlot(int lane);
    void freeSlot(int lane, int slot);
    /// Picks the largest scale step at which every lane's slots fit; true when it changed.
    bool fit();

    qreal scale() const { return m_scale; }
    int spriteSize() const { return qRound(SpriteSize * m_scale); }
    QSizeF cellSize() const { return {CellWidth * m_scale, CellHeight * m_scale}; }
    QRectF laneRect(int lane) const;
    /// The lane under x, or -1.
    int laneAt(qreal x) const;
    /// Top-left of the sprite standing in `slot` of `lane` (whole pixels, for fast blits).
    QPointF spritePos(int lane, int slot) const;
    /// The badge box under a sprite placed at `spritePos`.
    QRectF badgeRect(QPointF spritePos) const;

private:
    int columns() const;

    QSizeF m_size;
    qreal m_scale = 1.0;
    /// Per lane, which slots are taken.
    QList<QList<bool>> m_lanes;
};
