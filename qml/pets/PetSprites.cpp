#include "PetSprites.h"

#include <QFile>
#include <QPainter>
#include <QSvgRenderer>

namespace {

QByteArray load(const QString &name)
{
    QFile file(QStringLiteral(":/stickyboard/sprites/") + name);
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("PetSprites: missing sprite %s", qPrintable(file.fileName()));
        return {};
    }
    return file.readAll();
}

// Where the face sits on each body frame, in sprite units, so one face file fits every
// frame: the idle squash lowers it, the walk frames bounce and lean into the step.
struct FacePose {
    qreal dy;
    qreal lean; ///< degrees around the feet (24, 40), as the body group in the walk SVGs
};
constexpr FacePose facePoses[PetSprites::FrameCount] = {
    {0, 0}, {1.3, 0}, {0, 6}, {-1.6, 6}, {0, 6}, {-1.6, 6},
};

QByteArray hex(const QColor &c)
{
    return c.name(QColor::HexRgb).toLatin1();
}

QByteArray colourise(QByteArray svg, int colour)
{
    const QColor body = PetSprites::bodyColour(colour);
    const QColor outline = QColor::fromHslF(body.hslHueF(), 0.38, 0.26);
    svg.replace("#BODY00", hex(body));
    svg.replace("#SHADE0", hex(body.darker(128)));
    svg.replace("#OUTLN0", hex(outline));
    return svg;
}

quint32 key(int colour, int frame, int mood, bool blink, bool mirrored)
{
    return quint32(colour) | quint32(frame) << 8 | quint32(mood) << 12 | quint32(blink) << 16 |
           quint32(mirrored) << 17;
}

constexpr quint32 GhostKey = 1u << 24;

} // namespace

PetSprites::PetSprites()
{
    static const char *const bodies[FrameCount] = {
        "pet_idle0.svg", "pet_idle1.svg", "pet_walk0.svg",
        "pet_walk1.svg", "pet_walk2.svg", "pet_walk3.svg",
    };
    for (int i = 0; i < FrameCount; ++i)
        m_bodies[i] = load(QLatin1String(bodies[i]));
    m_faces[Content] = load(QStringLiteral("face_content.svg"));
    m_faces[Puzzled] = load(QStringLiteral("face_puzzled.svg"));
    m_faces[Worried] = load(QStringLiteral("face_worried.svg"));
    m_ghost = load(QStringLiteral("pet_ghost.svg"));
    m_marks[Puzzled] = std::make_unique<QSvgRenderer>(load(QStringLiteral("mark_puzzled.svg")));
}

PetSprites::~PetSprites() = default;

int PetSprites::colourIndex(QStringView workerId)
{
    quint32 h = 2166136261u;
    for (const QChar c : workerId) {
        h ^= c.unicode();
        h *= 16777619u;
    }
    // Fold the high bits in: ids like w1, w2, … differ only in their last character.
    h ^= h >> 15;
    return int(h % PaletteSize);
}

QColor PetSprites::bodyColour(int index)
{
    // Evenly spaced hues, pastel enough for dark text on top, saturated enough to tell apart;
    // every other step slightly lighter so neighbouring hues separate better.
    const qreal hue = qreal((index * 7) % PaletteSize) / PaletteSize;
    const qreal light = index % 2 ? 0.72 : 0.64;
    return QColor::fromHslF(float(hue), 0.62f, float(light));
}

void PetSprites::setSize(int logicalSize, qreal dpr)
{
    if (logicalSize == m_size && qFuzzyCompare(dpr, m_dpr))
        return;
    m_size = logicalSize;
    m_dpr = dpr;
    m_cache.clear();
}

const QImage &PetSprites::pet(int colour, Frame frame, Mood mood, bool blink, bool mirrored)
{
    const quint32 k = key(colour, frame, mood, blink, mirrored);
    auto it = m_cache.find(k);
    if (it != m_cache.end())
        return *it;
    return *m_cache.insert(k, render(colour, frame, mood, blink, mirrored));
}

const QImage &PetSprites::ghost(int colour)
{
    const quint32 k = GhostKey | quint32(colour);
    auto it = m_cache.find(k);
    if (it == m_cache.end())
        it = m_cache.insert(k, renderGhost(colour));
    return *it;
}

QSvgRenderer *PetSprites::face(Mood mood, bool blink)
{
    auto &renderer = m_faceRenderers[mood * 2 + (blink ? 1 : 0)];
    if (!renderer) {
        QByteArray svg = m_faces[mood];
        svg.replace("EYES_OPEN", blink ? "none" : "inline");
        svg.replace("EYES_SHUT", blink ? "inline" : "none");
        renderer = std::make_unique<QSvgRenderer>(svg);
    }
    return renderer.get();
}

QImage PetSprites::render(int colour, Frame frame, Mood mood, bool blink, bool mirrored)
{
    const int device = qCeil(m_size * m_dpr);
    QImage image(device, device, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(m_dpr);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    const QRectF box(0, 0, m_size, m_size);
    p.save();
    if (mirrored) {
        p.translate(m_size, 0);
        p.scale(-1, 1);
    }
    QSvgRenderer body(colourise(m_bodies[frame], colour));
    body.render(&p, box);

    const qreal unit = qreal(m_size) / NativeSize;
    const FacePose pose = facePoses[frame];
    p.translate(0, pose.dy * unit);
    if (pose.lean != 0) {
        p.translate(24 * unit, 40 * unit);
        p.rotate(pose.lean);
        p.translate(-24 * unit, -40 * unit);
    }
    face(mood, blink)->render(&p, box);
    p.restore();
    if (m_marks[mood])
        m_marks[mood]->render(&p, box);
    return image;
}

QImage PetSprites::renderGhost(int colour)
{
    const int device = qCeil(m_size * m_dpr);
    QImage image(device, device, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    image.setDevicePixelRatio(m_dpr);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QSvgRenderer ghost(colourise(m_ghost, colour));
    ghost.render(&p, QRectF(0, 0, m_size, m_size));
    return image;
}
