#pragma once

#include <QByteArray>
#include <QColor>
#include <QHash>
#include <QImage>
#include <QStringView>

#include <array>
#include <memory>

class QSvgRenderer;

/*!
 * The pet sprites: SVG templates from :/stickyboard/sprites, coloured per worker and rendered
 * once per (colour, frame, mood, blink, direction) into a QImage at the window's device pixel
 * ratio, so painting 500 pets is 500 plain image blits (no SVG work per frame).
 */
class PetSprites {
public:
    enum Mood : quint8 { Content, Puzzled, Worried };
    enum Frame : quint8 { Idle0, Idle1, Walk0, Walk1, Walk2, Walk3, FrameCount };

    static constexpr int PaletteSize = 24;
    static constexpr int IdleFrames = 2;
    static constexpr int WalkFrames = 4;
    /// The sprites' own size (viewBox), in logical pixels at scale 1.
    static constexpr int NativeSize = 48;

    PetSprites();
    ~PetSprites();
    PetSprites(const PetSprites &) = delete;
    PetSprites &operator=(const PetSprites &) = delete;

    /// A stable colour index for a worker id (FNV-1a: qHash is seeded per process).
    static int colourIndex(QStringView workerId);
    static QColor bodyColour(int index);

    /// Sprites are rendered at `logicalSize` × `dpr` device pixels; a change drops the cache.
    void setSize(int logicalSize, qreal dpr);
    int size() const { return m_size; }
    qreal devicePixelRatio() const { return m_dpr; }

    /// The pet, facing right unless `mirrored`. The image carries the device pixel ratio.
    const QImage &pet(int colour, Frame frame, Mood mood, bool blink, bool mirrored);
    /// The translucent ghost outline in the worker's colour.
    const QImage &ghost(int colour);

    qsizetype cachedImages() const { return m_cache.size(); }

private:
    QImage render(int colour, Frame frame, Mood mood, bool blink, bool mirrored);
    QImage renderGhost(int colour);
    QSvgRenderer *face(Mood mood, bool blink);

    int m_size = NativeSize;
    qreal m_dpr = 1.0;
    std::array<QByteArray, FrameCount> m_bodies;
    std::array<QByteArray, 3> m_faces;
    /// Per mood, drawn last and never mirrored (the puzzled "?"); may be null.
    std::array<std::unique_ptr<QSvgRenderer>, 3> m_marks;
    QByteArray m_ghost;
    /// Faces carry no worker colour, so six parsed renderers serve every pet.
    std::array<std::unique_ptr<QSvgRenderer>, 6> m_faceRenderers;
    QHash<quint32, QImage> m_cache;
};
