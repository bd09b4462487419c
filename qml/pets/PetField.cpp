#include "PetField.h"

#include "Run.h"
#include "Selection.h"
#include "models/ChangeFeed.h"
#include "session/Session.h"
#include "tracker/TrackerTable.h"

#include <QQuickWindow>

namespace {
// Activity from many jobs at once re-picks at most this often (a pick sorts every recent job).
constexpr qint64 RepickMinMs = 250;
} // namespace

PetField::PetField(QQuickItem *parent) : QQuickPaintedItem(parent), m_ticker([this] { onFrame(); })
{
    setObjectName(QStringLiteral("petField"));
    setAcceptHoverEvents(true);
    setAcceptedMouseButtons(Qt::LeftButton | Qt::RightButton);
    m_clock.start();
    m_idleTimer.setInterval(PetFieldIdleMs);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] { update(); });
    m_repickTimer.setSingleShot(true);
    connect(&m_repickTimer, &QTimer::timeout, this, &PetField::repick);
}

PetField::~PetField()
{
    m_ticker.stop();
}

void PetField::setRun(Run *run)
{
    if (m_run == run)
        return;
    if (m_run)
        disconnect(m_run, nullptr, this, nullptr);
    m_run = run;
    // The session arrives (or is replaced) after QML bound the property.
    if (run)
        connect(run, &Run::changed, this, &PetField::attach);
    attach();
    Q_EMIT runChanged();
}

void PetField::setSelection(Selection *selection)
{
    if (m_selection == selection)
        return;
    if (m_selection)
        disconnect(m_selection, nullptr, this, nullptr);
    m_selection = selection;
    if (selection)
        connect(selection, &Selection::jobChanged, this, [this] { update(); });
    update();
    Q_EMIT selectionChanged();
}

void PetField::attach()
{
    TrackerTable *tracker = m_run ? m_run->tracker() : nullptr;
    if (tracker && tracker == m_tracker)
        return; // changed() for something else: keep the pets mid-walk
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = tracker;
    m_roster.setTracker(tracker);
    m_picker.reset(tracker);
    if (tracker) {
        // Torn down before the run says so: never keep a dangling tracker.
        m_connections << connect(tracker, &QObject::destroyed, this, [this] {
            m_tracker = nullptr;
            m_roster.setTracker(nullptr);
            m_picker.reset(nullptr);
            repick();
        });
        m_connections << connect(m_run->feed(), &ChangeFeed::batch, this, &PetField::onBatch);
        Session *session = m_run->session();
        if (session->knowsRunningJobs()) {
            const QStringList running = session->runningJobs();
            m_picker.setRunning(QSet<QString>(running.cbegin(), running.cend()));
            m_connections << connect(session, &Session::jobStarted, this,
                                     [this](const QString &id) {
                                         m_picker.addRunning(id);
                                         scheduleRepick();
                                     });
            m_connections << connect(session, &Session::jobFinished, this,
                                     [this](const QString &id) {
                                         m_picker.removeRunning(id);
                                         scheduleRepick();
                                     });
        }
    }
    repick();
}

void PetField::setLanes(const QStringList &lanes)
{
    if (lanes == m_roster.lanes())
        return;
    m_roster.setLanes(lanes);
    Q_EMIT lanesChanged();
    changed();
}

void PetField::setAnimated(bool animated)
{
    if (animated == m_animated)
        return;
    m_animated = animated;
    m_roster.setAnimated(animated);
    if (!animated)
        m_roster.advance(now() + PetRoster::WalkMs + PetRoster::GhostOutMs); // finish motion
    Q_EMIT animatedChanged();
    changed();
}

void PetField::onBatch(const QList<quint32> &changedJobs, qsizetype previousJobCount)
{
    if (m_picker.noteActivity(changedJobs, previousJobCount, now()))
        scheduleRepick();
    m_roster.refresh(changedJobs, now());
    changed();
}

void PetField::scheduleRepick()
{
    const qint64 wait = m_lastRepick + RepickMinMs - now();
    if (wait <= 0) {
        repick();
    } else if (!m_repickTimer.isActive() || m_repickTimer.remainingTime() > wait) {
        m_repickTimer.start(int(wait));
    }
}

void PetField::repick()
{
    m_repickTimer.stop();
    m_lastRepick = now();
    int hidden = 0;
    const QList<quint32> jobs = m_picker.pick(now(), &hidden);
    const int before = petCount();
    const int hiddenBefore = m_overflow;
    m_roster.setMembers(jobs, now());
    m_overflow = hidden;
    if (petCount() != before || hidden != hiddenBefore)
        Q_EMIT petCountChanged();
    // Recently active jobs leave the field when their time is up, not at the next event.
    if (m_picker.nextExpiry() >= 0)
        m_repickTimer.start(int(std::max<qint64>(0, m_picker.nextExpiry() - now())));
    changed();
}

void PetField::changed()
{
    const bool moving = m_roster.advance(now());
    updateDriving(moving);
    updateSummary();
    update();
}

void PetField::onFrame()
{
    const bool moving = m_roster.advance(now());
    update();
    if (!moving) {
        m_ticker.stop();
        updateSummary(); // "walking" count drops to 0
    }
}

void PetField::updateDriving(bool moving)
{
    const bool live = isVisible() && window() && !m_roster.pets().empty();
    if (live && m_animated && !m_idleTimer.isActive())
        m_idleTimer.start();
    else if ((!live || !m_animated) && m_idleTimer.isActive())
        m_idleTimer.stop();
    if (live && moving && m_ticker.state() != QAbstractAnimation::Running)
        m_ticker.start();
    else if (!live)
        m_ticker.stop();
}

void PetField::updateSummary()
{
    int walking = 0, stale = 0, retry = 0;
    const qint64 t = now();
    for (const Pet &pet : m_roster.pets()) {
        walking += m_roster.walking(pet, t);
        stale += pet.badgeState.stale;
        retry += pet.retryPending;
    }
    QString text = tr("%n pet(s)", nullptr, petCount());
    if (m_overflow > 0)
        text += tr(", %n more not shown", nullptr, m_overflow);
    if (walking > 0)
        text += tr(", %n walking", nullptr, walking);
    if (stale > 0)
        text += tr(", %n with a stale database row (%1 retry pending)", nullptr, stale).arg(retry);
    if (text != m_summary) {
        m_summary = text;
        Q_EMIT summaryChanged();
    }
}

void PetField::geometryChange(const QRectF &newGeometry, const QRectF &oldGeometry)
{
    QQuickPaintedItem::geometryChange(newGeometry, oldGeometry);
    if (newGeometry.size() != oldGeometry.size()) {
        m_roster.setGeometry(newGeometry.size());
        update();
    }
}

void PetField::itemChange(ItemChange change, const ItemChangeData &data)
{
    QQuickPaintedItem::itemChange(change, data);
    if (change == ItemSceneChange || change == ItemVisibleHasChanged ||
        change == ItemDevicePixelRatioHasChanged)
        changed();
}
