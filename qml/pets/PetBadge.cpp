#include "PetBadge.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>

namespace {

const QColor ink(0x26, 0x28, 0x33);
const QColor chipFill(0x3b, 0x42, 0x52);
const QColor hitColour(0x2f, 0xb3, 0x6b);
const QColor missColour(0xf0, 0x8c, 0x2b);
const QColor savedColour(0x2f, 0xa8, 0x5f);
const QColor alarmColour(0xd6, 0x45, 0x45);
const QColor quiet(0x8a, 0x90, 0x9c);

QFont badgeFont(qreal pixelSize, bool bold)
{
    QFont font;
    font.setPixelSize(std::max(6, qRound(pixelSize)));
    font.setBold(bold);
    return font;
}

/// Draws the persist icon centred on `c` within a box of height `h`; returns its width.
qreal persistIcon(QPainter &p, const PetBadge::State &s, QPointF c, qreal h, bool measureOnly)
{
    const qreal r = h * 0.34;
    const bool counted = s.failures > 0 && s.persist != PetBadge::Persist::Saved;
    const QString count = counted ? QString::number(s.failures) : QString();
    const QFont font = badgeFont(h * 0.8, true);
    const qreal countWidth = counted ? QFontMetricsF(font).horizontalAdvance(count) + 1 : 0;
    const qreal width = 2 * r + countWidth;
    if (measureOnly)
        return width;
    const QPointF o(c.x() - width / 2 + r, c.y());
    p.setBrush(Qt::NoBrush);
    switch (s.persist) {
    case PetBadge::Persist::Saved: {
        p.setPen(
            QPen(savedColour, std::max(1.2, h * 0.14), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        QPainterPath tick;
        tick.moveTo(o + QPointF(-r * 0.8, 0));
        tick.lineTo(o + QPointF(-r * 0.2, r * 0.6));
        tick.lineTo(o + QPointF(r * 0.9, -r * 0.7));
        p.drawPath(tick);
        break;
    }
    case PetBadge::Persist::Saving:
        p.setPen(Qt::NoPen);
        p.setBrush(counted ? alarmColour : quiet);
        for (int i = -1; i <= 1; ++i)
            p.drawEllipse(o + QPointF(i * r * 0.75, r * 0.35), r * 0.24, r * 0.24);
        break;
    case PetBadge::Persist::RetryPending: {
        // ⟳ drawn as an arc and an arrow head: fonts on minimal systems often lack the glyph.
        p.setPen(QPen(alarmColour, std::max(1.2, h * 0.13), Qt::SolidLine, Qt::RoundCap));
        const QRectF box(o.x() - r * 0.8, o.y() - r * 0.8, r * 1.6, r * 1.6);
        p.drawArc(box, 60 * 16, 280 * 16);
        p.setPen(Qt::NoPen);
        p.setBrush(alarmColour);
        const QPointF tip = o + QPointF(r * 0.42, -r * 0.7);
        QPainterPath head;
        head.moveTo(tip + QPointF(r * 0.55, -r * 0.2));
        head.lineTo(tip + QPointF(-r * 0.2, -r * 0.55));
        head.lineTo(tip + QPointF(0.1 * r, r * 0.45));
        head.closeSubpath();
        p.drawPath(head);
        break;
    }
    case PetBadge::Persist::Stale: {
        // A clock: the table has lagged for a while (watch mode; no write of ours to retry).
        p.setPen(QPen(alarmColour, std::max(1.2, h * 0.13), Qt::SolidLine, Qt::RoundCap));
        p.drawEllipse(o, r * 0.8, r * 0.8);
        p.drawLine(o, o + QPointF(0, -r * 0.5));
        p.drawLine(o, o + QPointF(r * 0.4, 0));
        break;
    }
    case PetBadge::Persist::Unresolved:
        p.setPen(QPen(quiet, std::max(1.0, h * 0.1), Qt::DotLine));
        p.drawEllipse(o, r * 0.75, r * 0.75);
        break;
    }
    if (counted) {
        p.setFont(font);
        p.setPen(alarmColour);
        p.drawText(QRectF(o.x() + r, c.y() - h / 2, countWidth, h), Qt::AlignCenter, count);
    }
    return width;
}

void cacheDot(QPainter &p, const PetBadge::State &s, QPointF c, qreal r)
{
    if (!s.hasEvent) {
        p.setPen(QPen(quiet, 1));
        p.setBrush(Qt::NoBrush);
    } else if (s.hit) {
        p.setPen(Qt::NoPen);
        p.setBrush(hitColour);
    } else {
        // A miss is a hollow ring: tells hit from miss without relying on colour alone.
        p.setPen(QPen(missColour, std::max(1.2, r * 0.55)));
        p.setBrush(Qt::NoBrush);
        r *= 0.8;
    }
    p.drawEllipse(c, r, r);
}

} // namespace

QString PetBadge::shortId(const QString &id)
{
    if (id.size() <= 7)
        return id;
    static const QRegularExpression wordDash(QStringLiteral("^([A-Za-z])[A-Za-z]*[-_](.+)$"));
    const auto m = wordDash.match(id);
    return m.hasMatch() ? m.captured(1) + m.captured(2) : id;
}

QString PetBadge::persistText(Persist persist)
{
    switch (persist) {
    case Persist::Saved:
        return QStringLiteral("saved");
    case Persist::Saving:
        return QStringLiteral("saving");
    case Persist::RetryPending:
        return QStringLiteral("retry pending");
    case Persist::Stale:
        return QStringLiteral("stale");
    case Persist::Unresolved:
        break;
    }
    return QStringLiteral("unresolved");
}

QImage PetBadge::render(const State &s, QSizeF size, qreal dpr, const QColor &worker)
{
    QImage image(qCeil(size.width() * dpr), qCeil(size.height() * dpr),
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(dpr);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);

    const qreal w = size.width();
    const qreal h = size.height();
    const bool compact = h < 20;
    const qreal rowH = compact ? h : h / 2;

    if (!compact) {
        // Row 1: the job tag on a pill in the worker's colour; red when the database is stale.
        const QRectF pill(1, 0.5, w - 2, rowH - 1.5);
        p.setPen(QPen(s.stale ? alarmColour.darker(130) : worker.darker(150), 1));
        p.setBrush(s.stale ? alarmColour : worker.lighter(118));
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
        const QFont font = badgeFont(rowH * 0.72, true);
        p.setFont(font);
        p.setPen(s.stale ? Qt::white : ink);
        const QString tag = QFontMetricsF(font).elidedText(s.tag, Qt::ElideLeft, pill.width() - 6);
        p.drawText(pill, Qt::AlignCenter, tag);
    }

    // Row 2: backend chip, cache dot, persist icon, centred as a group.
    const qreal y = compact ? h / 2 : rowH + rowH / 2 + 0.5;
    const QFont chipFont = badgeFont(rowH * 0.66, false);
    const QFontMetricsF chipMetrics(chipFont);
    const QString chipText = compact || s.backend.isEmpty()
                                 ? QString()
                                 : chipMetrics.elidedText(s.backend, Qt::ElideMiddle, w * 0.45);
    const qreal chipWidth = chipText.isEmpty() ? 0 : chipMetrics.horizontalAdvance(chipText) + 7;
    const qreal dotR = rowH * 0.22;
    const qreal gap = rowH * 0.25;
    const qreal iconWidth = persistIcon(p, s, {}, rowH, true);
    const qreal total = (chipWidth > 0 ? chipWidth + gap : 0) + 2 * dotR + gap + iconWidth;
    qreal x = (w - total) / 2;

    if (chipWidth > 0) {
        const QRectF chip(x, y - rowH * 0.42, chipWidth, rowH * 0.84);
        p.setPen(Qt::NoPen);
        p.setBrush(chipFill);
        p.drawRoundedRect(chip, 3, 3);
        p.setFont(chipFont);
        p.setPen(Qt::white);
        p.drawText(chip, Qt::AlignCenter, chipText);
        x += chipWidth + gap;
    }
    cacheDot(p, s, {x + dotR, y}, dotR);
    x += 2 * dotR + gap;
    persistIcon(p, s, {x + iconWidth / 2, y}, rowH, false);
    return image;
}

QImage PetBadge::renderGhostTag(const QString &tag, QSizeF size, qreal dpr, const QColor &worker)
{
    QImage image(qCeil(size.width() * dpr), qCeil(size.height() * dpr),
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(dpr);
    if (size.height() < 20)
        return image; // compact layout: the bubble and the tether say enough
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const qreal rowH = size.height() / 2;
    const QRectF pill(1, 0.5, size.width() - 2, rowH - 1.5);
    QColor fill = worker.lighter(125);
    fill.setAlphaF(0.55f);
    p.setPen(QPen(worker.darker(170), 1, Qt::DashLine));
    p.setBrush(fill);
    p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2);
    const QFont font = badgeFont(rowH * 0.72, false);
    p.setFont(font);
    p.setPen(ink);
    p.drawText(pill, Qt::AlignCenter,
               QFontMetricsF(font).elidedText(tag, Qt::ElideLeft, pill.width() - 6));
    return image;
}
