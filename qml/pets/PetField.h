#pragma once

#include "PetPicker.h"
#include "PetRoster.h"
#include "PetSprites.h"
#include "Run.h"
#include "Selection.h"

#include <QAbstractAnimation>
#include <QElapsedTimer>
#include <QPointer>
#include <QQuickPaintedItem>
#include <QTimer>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

#include <functional>

class TrackerTable;

/// Idle bob/blink frame period: ~4.5 frame flips a second keeps the software renderer cheap.
constexpr int PetFieldIdleMs = 220;
/// Walking leg frame period.
constexpr int PetFieldStepMs = 130;

/// Calls back on every animation frame of the window's render loop while running.
class PetTicker : public QAbstractAnimation {
public:
    explicit PetTicker(std::function<void()> onFrame) : m_onFrame(std::move(onFrame)) {}
    int duration() const override { return -1; }

protected:
    void updateCurrentTime(int) override { m_onFrame(); }

private:
    std::function<void()> m_onFrame;
};

/*!
 * Every pet in one painted item (style.md: "Many moving things are one item"). A pet stands
 * in the lane of its job's persisted backend and walks only once a switch is persisted; a
 * failed write leaves it put and shows a ghost where the job really runs. Takes changes from
 * the ChangeFeed once per frame and repaints only while something walks, fades or idles.
 */
class PetField : public QQuickPaintedItem {
    Q_OBJECT
    QML_ELEMENT
    /// The run whose jobs the pets mirror (the `Run` singleton).
    Q_PROPERTY(Run *run READ run WRITE setRun NOTIFY runChanged)
    /// Whose selected job is highlighted (the `Selection` singleton).
    Q_PROPERTY(Selection *selection READ selection WRITE setSelection NOTIFY selectionChanged)
    /// Backend ids in lane order: equal-width columns, left to right.
    Q_PROPERTY(QStringList lanes READ lanes WRITE setLanes NOTIFY lanesChanged)
    Q_PROPERTY(int petCount READ petCount NOTIFY petCountChanged)
    /// Jobs that qualify for a pet but are not drawn (more than 500).
    Q_PROPERTY(int overflow READ overflow NOTIFY petCountChanged)
    Q_PROPERTY(bool animated READ animated WRITE setAnimated NOTIFY animatedChanged)
    /// The job under the mouse ("" when none), for tooltips.
    Q_PROPERTY(QString hoveredJob READ hoveredJob NOTIFY hoveredJobChanged)
    /// For Accessible.name/description: "12 pets, 2 walking, 1 stale (retry pending)".
    Q_PROPERTY(QString summary READ summary NOTIFY summaryChanged)

public:
    explicit PetField(QQuickItem *parent = nullptr);
    ~PetField() override;

    Run *run() const { return m_run; }
    void setRun(Run *run);
    Selection *selection() const { return m_selection; }
    void setSelection(Selection *selection);
    QStringList lanes() const { return m_roster.lanes(); }
    void setLanes(const QStringList &lanes);
    int petCount() const { return int(m_roster.pets().size()); }
    int overflow() const { return m_overflow; }
    bool animated() const { return m_animated; }
    void setAnimated(bool animated);
    QString hoveredJob() const { return m_hoveredJob; }
    QString summary() const { return m_summary; }

    void paint(QPainter *painter) override;

    /// The pet (or ghost) at a point: {job, worker, backend, observed, stale, failures,
    /// persistState, ghost}; empty when none.
    Q_INVOKABLE QVariantMap petAt(qreal x, qreal y) const;
    /// As petAt plus {x, y (sprite centre), lane ("" until the first write succeeded),
    /// laneIndex, arriving, ghostLane, ghostX, ghostY, walking, ghostVisible, ghostOpacity,
    /// colorIndex, mood, cacheHit}; empty for a job without a pet.
    Q_INVOKABLE QVariantMap petInfo(const QString &jobId) const;

Q_SIGNALS:
    void runChanged();
    void selectionChanged();
    void lanesChanged();
    void petCountChanged();
    void animatedChanged();
    void hoveredJobChanged();
    void summaryChanged();
    /// A pet (or its ghost) was pressed; `button` is a Qt::MouseButton.
    void petClicked(const QString &job, int button, qreal x, qreal y);

protected:
    void geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry) override;
    void itemChange(ItemChange change, const ItemChangeData &data) override;
    void hoverMoveEvent(QHoverEvent *event) override;
    void hoverLeaveEvent(QHoverEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    void attach();
    void onBatch(const QList<quint32> &changed, qsizetype previousJobCount);
    void repick();
    void scheduleRepick();
    void changed();
    void onFrame();
    void updateDriving(bool moving);
    void updateSummary();
    void setHoveredJob(const QString &job);
    /// Index of the pet whose sprite (or, failing that, ghost) is under `pos`; sets `ghost`.
    int hit(QPointF pos, bool *ghost) const;
    QVariantMap describe(const Pet &pet, bool ghost) const;
    void drawGhost(QPainter &p, Pet &pet, qreal opacity);
    /// A red bubble with `text` (a failure count, or how long the table has lagged).
    const QImage &bubble(const QString &text);
    qint64 now() const { return m_clock.elapsed(); }

    QPointer<Run> m_run;
    QPointer<Selection> m_selection;
    TrackerTable *m_tracker = nullptr; ///< the one the pets mirror; reset when destroyed
    QList<QMetaObject::Connection> m_connections;
    PetRoster m_roster;
    PetPicker m_picker;
    PetSprites m_sprites;
    PetTicker m_ticker;
    /// Idle bobbing needs a new frame only ~5 times a second: a timer, not the 60 Hz ticker.
    QTimer m_idleTimer;
    /// Throttled re-picks and expiry of recently active jobs.
    QTimer m_repickTimer;
    qint64 m_lastRepick = -1'000'000;
    QElapsedTimer m_clock;
    QHash<QString, QImage> m_bubbles;
    int m_spriteGeneration = -1;
    qreal m_dpr = 0;
    bool m_animated = true;
    int m_overflow = 0;
    QString m_hoveredJob;
    QString m_summary;
};
