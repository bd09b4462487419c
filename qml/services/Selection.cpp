#include "Selection.h"

#include "Services.h"
#include "history/HistoryStore.h"
#include "models/ChangeFeed.h"
#include "models/JobListModel.h"
#include "models/SwitchHistoryModel.h"
#include "session/Session.h"
#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

Selection::Selection(QObject *parent) : QObject(parent), m_history(new SwitchHistoryModel(this)) {}

Selection::~Selection() = default;

Selection *Selection::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->selection());
}

void Selection::attach(Session *session)
{
    m_session = session;
    TrackerTable *tracker = session->tracker();
    if (HistoryStore *history = session->history()) {
        // Watch mode: the timeline is Stickyboard's own record, table and gateway side by
        // side (the watched database has no backend_switches of ours).
        m_history->setReader(
            [history = QPointer<HistoryStore>(history)](const QString &job, qint64 beforeId,
                                                        int limit) {
                return history ? history->timeline(job, beforeId, limit)
                               : QtFuture::makeReadyFuture(QList<SwitchRecord>());
            },
            tracker);
    } else {
        m_history->setSources(session->store(), tracker);
    }
    disconnect(m_feedConnection);
    // The selected job's badges follow its state, once per frame at most.
    m_feedConnection = connect(session->feed(), &ChangeFeed::batch, this,
                               [this, tracker](const QList<quint32> &changed, qsizetype) {
                                   const quint32 job = tracker->findJob(m_job);
                                   if (job != TrackerTable::None && changed.contains(job))
                                       Q_EMIT stateChanged();
                               });
    Q_EMIT stateChanged();
}

void Selection::setJob(const QString &jobId)
{
    if (jobId == m_job)
        return;
    m_job = jobId;
    m_history->load(jobId);
    Q_EMIT jobChanged();
    Q_EMIT stateChanged();
}

QVariantMap Selection::state() const
{
    const TrackerTable *t = m_session ? m_session->tracker() : nullptr;
    const quint32 job = t ? t->findJob(m_job) : TrackerTable::None;
    if (job == TrackerTable::None)
        return {};
    const JobState &s = t->state(job);
    return {{QStringLiteral("job"), m_job},
            {QStringLiteral("worker"), t->workerId(job)},
            {QStringLiteral("current"), t->backendText(s.current)},
            {QStringLiteral("observed"), t->backendText(s.observed)},
            {QStringLiteral("cacheKey"), s.cacheKey},
            {QStringLiteral("persistState"), JobListModel::persistState(*t, job)},
            {QStringLiteral("failures"), s.consecutiveFailures},
            {QStringLiteral("totalFailures"), s.totalFailures},
            {QStringLiteral("stale"), t->isStale(job)},
            {QStringLiteral("observedAt"), double(s.observedAtMs)},
            {QStringLiteral("staleSince"), double(t->staleness().since(job))}};
}
