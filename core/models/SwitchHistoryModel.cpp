#include "models/SwitchHistoryModel.h"

#include "store/JobStore.h"
#include "tracker/TrackerTable.h"

#include <QDateTime>
#include <QException>

SwitchHistoryModel::SwitchHistoryModel(QObject *parent) : QAbstractListModel(parent) {}

void SwitchHistoryModel::setSources(JobStore *store, TrackerTable *tracker)
{
    Reader reader;
    if (store) {
        reader = [store = QPointer<JobStore>(store)](const QString &job, qint64 beforeId,
                                                     int limit) {
            return store ? store->switchHistory(job, beforeId, limit)
                         : QtFuture::makeReadyFuture(QList<SwitchRecord>());
        };
    }
    setReader(std::move(reader), tracker);
}

void SwitchHistoryModel::setReader(Reader reader, TrackerTable *tracker)
{
    m_reader = std::move(reader);
    follow(tracker);
    load(m_jobId);
}

void SwitchHistoryModel::follow(TrackerTable *tracker)
{
    for (const auto &c : std::as_const(m_trackerConnections))
        disconnect(c);
    m_trackerConnections.clear();
    if (tracker != m_tracker) {
        m_failures.clear();
        m_failureOrder.clear();
    }
    m_tracker = tracker;
    if (!tracker)
        return;
    m_trackerConnections << connect(
        tracker, &TrackerTable::persisted, this, [this](quint32 job, quint32, quint32, QString) {
            if (m_jobId.isEmpty() || m_tracker->jobId(job) != m_jobId)
                return;
            if (m_pending > 0)
                m_refreshAgain = true; // coalesce a burst into one more read
            else
                request(0);
        });
    // Watch mode's history also records stale periods: show them as they begin and end.
    const auto refreshFor = [this](quint32 job) {
        if (m_jobId.isEmpty() || m_tracker->jobId(job) != m_jobId)
            return;
        if (m_pending > 0)
            m_refreshAgain = true;
        else
            request(0);
    };
    m_trackerConnections << connect(tracker, &TrackerTable::becameStale, this,
                                    [refreshFor](quint32 job, qint64) { refreshFor(job); });
    m_trackerConnections << connect(tracker, &TrackerTable::staleRecovered, this,
                                    [refreshFor](quint32 job, qint64) { refreshFor(job); });
    m_trackerConnections << connect(
        tracker, &TrackerTable::persistFailed, this,
        [this](quint32 job, quint32 kept, quint32 target, const QString &error) {
            Entry e;
            e.timeMs = QDateTime::currentMSecsSinceEpoch();
            e.kind = QStringLiteral("failure");
            e.from = m_tracker->backendText(kept);
            e.to = m_tracker->backendText(target);
            e.error = error;
            addFailure(m_tracker->jobId(job), std::move(e));
        });
}

void SwitchHistoryModel::addFailure(const QString &jobId, Entry entry)
{
    std::deque<Entry> &list = m_failures[jobId];
    m_failureOrder.emplace_back(jobId, entry.timeMs);
    list.push_back(std::move(entry));
    if (list.size() > FailuresPerJob)
        list.pop_front();
    // The global bound drops the oldest failure anywhere (if the per-job bound has not).
    while (qsizetype(m_failureOrder.size()) > FailuresTotal) {
        const auto [job, time] = m_failureOrder.front();
        m_failureOrder.pop_front();
        auto it = m_failures.find(job);
        if (it == m_failures.end())
            continue;
        if (!it->empty() && it->front().timeMs == time)
            it->pop_front();
        if (it->empty())
            m_failures.erase(it);
    }
    if (jobId == m_jobId)
        rebuild();
}

QList<SwitchHistoryModel::Entry> SwitchHistoryModel::failures(const QString &jobId) const
{
    const auto it = m_failures.constFind(jobId);
    return it == m_failures.cend() ? QList<Entry>() : QList<Entry>(it->cbegin(), it->cend());
}

void SwitchHistoryModel::load(const QString &jobId)
{
    ++m_generation;
    m_refreshAgain = false;
    m_switches.clear();
    m_complete = jobId.isEmpty() || !m_reader;
    setError({});
    if (jobId != m_jobId) {
        m_jobId = jobId;
        Q_EMIT jobIdChanged();
    }
    rebuild(); // failures show at once, also when the database cannot be read
    if (!m_complete)
        request(0);
}

void SwitchHistoryModel::request(qint64 beforeId)
{
    if (!m_reader || m_jobId.isEmpty())
        return;
    const quint64 generation = m_generation;
    setPending(+1);
    m_reader(m_jobId, beforeId, PageSize)
        .then(this,
              [this, generation, beforeId](QFuture<QList<SwitchRecord>> done) {
                  // A future that settled before .then() runs its continuation inline, maybe
                  // inside a view's fetchMore() during our own rowsInserted: apply the page
                  // from the event loop instead.
                  QMetaObject::invokeMethod(
                      this,
                      [this, generation, beforeId, done] {
                          try {
                              received(generation, beforeId, done.result());
                          } catch (const QException &e) {
                              failed(generation, QString::fromUtf8(e.what()));
                          } catch (const std::exception &e) {
                              failed(generation, QString::fromLocal8Bit(e.what()));
                          }
                      },
                      Qt::QueuedConnection);
              })
        .onCanceled(this, [this, generation] {
            failed(generation, tr("the history read was canceled (database closing)"));
        });
}

void SwitchHistoryModel::received(quint64 generation, qint64 beforeId,
                                  const QList<SwitchRecord> &records)
{
    setPending(-1);
    if (generation != m_generation)
        return refreshIfAsked();
    setError({});
    QList<Entry> page;
    page.reserve(records.size());
    for (const SwitchRecord &r : records) {
        Entry e;
        e.timeMs = r.at.toMSecsSinceEpoch();
        e.dbId = r.id;
        if (r.kind.isEmpty() || r.kind == QLatin1String("table"))
            e.kind =
                r.fromBackend.isEmpty() ? QStringLiteral("resolved") : QStringLiteral("switch");
        else
            e.kind = r.kind;
        e.durationMs = r.durationMs;
        e.from = r.fromBackend;
        e.to = r.toBackend;
        e.cacheKey = r.cacheKey;
        page.append(std::move(e));
    }
    const bool full = records.size() >= PageSize;
    if (beforeId == 0 && !m_switches.isEmpty()) {
        // A refresh: keep what is loaded and put the newer rows on top, unless the page
        // holds nothing known (more than a page happened): then it replaces, no gap.
        const qint64 newest = m_switches.first().dbId;
        qsizetype fresh = 0;
        while (fresh < page.size() && page.at(fresh).dbId > newest)
            ++fresh;
        if (fresh == page.size() && full) {
            m_switches = page;
            m_complete = false;
        } else {
            m_switches = page.mid(0, fresh) + m_switches;
        }
    } else {
        const qint64 oldest = m_switches.isEmpty() ? 0 : m_switches.last().dbId;
        for (Entry &e : page)
            if (oldest == 0 || e.dbId < oldest)
                m_switches.append(std::move(e));
        m_complete = !full;
    }
    rebuild();
    refreshIfAsked();
}

void SwitchHistoryModel::refreshIfAsked()
{
    if (m_refreshAgain && m_pending == 0) {
        m_refreshAgain = false;
        request(0);
    }
}

void SwitchHistoryModel::failed(quint64 generation, const QString &message)
{
    setPending(-1);
    if (generation != m_generation)
        return refreshIfAsked();
    // StoreError messages name the database without its password (DbUrl::redacted()).
    setError(message);
}

void SwitchHistoryModel::rebuild()
{
    // Failures older than the oldest loaded switch wait for that page: shown now, they
    // would end up between rows loaded later.
    const qint64 horizon = (m_complete || m_switches.isEmpty()) ? std::numeric_limits<qint64>::min()
                                                                : m_switches.last().timeMs;
    QList<Entry> next;
    const auto it = m_failures.constFind(m_jobId);
    qsizetype s = 0;
    if (it != m_failures.cend() && !m_jobId.isEmpty()) {
        for (auto f = it->crbegin(); f != it->crend() && f->timeMs >= horizon; ++f) {
            while (s < m_switches.size() && m_switches.at(s).timeMs > f->timeMs)
                next.append(m_switches.at(s++));
            next.append(*f);
        }
    }
    next.append(m_switches.mid(s));
    if (next == m_rows)
        return;

    // New rows arrive on top (newer) or at the bottom (older pages): insert them there so
    // the view keeps its position; anything else resets.
    const qsizetype top = m_rows.isEmpty() ? 0 : next.indexOf(m_rows.first());
    const bool grows =
        top >= 0 && next.size() >= top + m_rows.size() && next.mid(top, m_rows.size()) == m_rows;
    if (!grows) {
        beginResetModel();
        m_rows = std::move(next);
        endResetModel();
    } else {
        const qsizetype bottom = next.size() - top - m_rows.size();
        if (top > 0) {
            beginInsertRows({}, 0, int(top) - 1);
            m_rows = next.mid(0, top) + m_rows;
            endInsertRows();
        }
        if (bottom > 0) {
            beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + bottom) - 1);
            m_rows += next.mid(m_rows.size());
            endInsertRows();
        }
    }
    Q_EMIT countChanged();
}

void SwitchHistoryModel::setPending(int delta)
{
    const bool was = isLoading();
    m_pending += delta;
    if (was != isLoading())
        Q_EMIT loadingChanged();
}

void SwitchHistoryModel::setError(const QString &error)
{
    if (error == m_error)
        return;
    m_error = error;
    Q_EMIT errorChanged();
}

bool SwitchHistoryModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_reader && !m_complete && !m_switches.isEmpty() && m_pending == 0;
}

void SwitchHistoryModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        request(m_switches.last().dbId);
}

int SwitchHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant SwitchHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = m_rows.at(index.row());
    switch (role) {
    case TimeRole:
        return e.timeMs;
    case Qt::DisplayRole:
    case KindRole:
        return e.kind;
    case FromRole:
        return e.from;
    case ToRole:
        return e.to;
    case CacheKeyRole:
        return e.cacheKey;
    case ErrorRole:
        return e.error;
    case DurationRole:
        return double(e.durationMs);
    default:
        return {};
    }
}

QHash<int, QByteArray> SwitchHistoryModel::roleNames() const
{
    return {
        {TimeRole, "time"},         {KindRole, "kind"},   {FromRole, "from"},        {ToRole, "to"},
        {CacheKeyRole, "cacheKey"}, {ErrorRole, "error"}, {DurationRole, "duration"}};
}
