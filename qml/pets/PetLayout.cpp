#include "PetLayout.h"

#include <QtMath>

#include <algorithm>

namespace {
// Coarse steps, so the sprite cache is rebuilt a few times per session, not on every pet.
constexpr qreal scaleSteps[] = {1.0, 0.85, 0.72, 0.6, 0.5, 0.42, 0.36, 0.3, 0.25};
} // namespace

void PetLayout::setGeometry(const QSizeF &size, int laneCount)
{
    m_size = size;
    if (laneCount != m_lanes.size()) {
        m_lanes.resize(laneCount);
        resetSlots();
    }
}

void PetLayout::resetSlots()
{
    for (auto &taken : m_lanes)
        taken.clear();
}

int PetLayout::takeSlot(int lane)
{
    if (lane < 0 || lane >= m_lanes.size())
        return -1;
    auto &taken = m_lanes[lane];
    const auto it = std::find(taken.begin(), taken.end(), false);
    if (it != taken.end()) {
        *it = true;
        return int(it - taken.begin());
    }
    taken.append(true);
    return int(taken.size() - 1);
}

void PetLayout::freeSlot(int lane, int slot)
{
    if (lane < 0 || lane >= m_lanes.size() || slot < 0)
        return;
    auto &taken = m_lanes[lane];
    if (slot < taken.size())
        taken[slot] = false;
    while (!taken.isEmpty() && !taken.last())
        taken.removeLast();
}

int PetLayout::columns() const
{
    const qreal laneWidth = m_lanes.isEmpty() ? 0 : m_size.width() / m_lanes.size();
    return std::max(1, int((laneWidth - 2 * LanePadding) / (CellWidth * m_scale)));
}

bool PetLayout::fit()
{
    qsizetype demand = 0;
    for (const auto &taken : m_lanes)
        demand = std::max(demand, taken.size());
    const qreal before = m_scale;
    for (const qreal step : scaleSteps) {
        m_scale = step;
        const qsizetype rows = (demand + columns() - 1) / columns();
        if (rows * CellHeight * step + LanePadding <= m_size.height())
            break;
    }
    return !qFuzzyCompare(before, m_scale);
}

QRectF PetLayout::laneRect(int lane) const
{
    if (m_lanes.isEmpty())
        return {};
    const qreal w = m_size.width() / m_lanes.size();
    return {lane * w, 0, w, m_size.height()};
}

int PetLayout::laneAt(qreal x) const
{
    if (m_lanes.isEmpty() || x < 0 || x >= m_size.width())
        return -1;
    return std::min(int(x / (m_size.width() / m_lanes.size())), int(m_lanes.size()) - 1);
}

QPointF PetLayout::spritePos(int lane, int slot) const
{
    const QRectF rect = laneRect(lane);
    const int cols = columns();
    const QSizeF cell = cellSize();
    // Centre the grid in the lane so a lone pet stands in the middle, not against a border.
    const qreal gridWidth = cols * cell.width();
    const qreal left = rect.left() + (rect.width() - gridWidth) / 2;
    const qreal x = left + (slot % cols) * cell.width() + (cell.width() - spriteSize()) / 2;
    const qreal y = LanePadding + (slot / cols) * cell.height();
    return {qreal(qRound(x)), qreal(qRound(y))};
}

QRectF PetLayout::badgeRect(QPointF spritePos) const
{
    const QSizeF cell = cellSize();
    const qreal top = spritePos.y() + spriteSize() + 1;
    const qreal left = spritePos.x() - (cell.width() - spriteSize()) / 2 + 2;
    return {qreal(qRound(left)), qreal(qRound(top)), qreal(qFloor(cell.width() - 4)),
            qreal(qFloor(cell.height() - spriteSize() - 5))};
}
