#include "models/JobFilterModel.h"

#include "models/JobListModel.h"

#include <algorithm>
#include <limits>

JobFilterModel::JobFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    // Off on purpose (see the class comment): order and filter catch up in settle().
    setDynamicSortFilter(false);
    m_settle.setSingleShot(true);
    m_settle.setInterval(500);
    connect(&m_settle, &QTimer::timeout, this, &JobFilterModel::settle);

    auto recount = [this, last = -1]() mutable {
        if (rowCount() != last) {
            last = rowCount();
            Q_EMIT countChanged();
        }
    };
    connect(this, &QAbstractItemModel::rowsInserted, this, recount);
    connect(this, &QAbstractItemModel::rowsRemoved, this, recount);
    connect(this, &QAbstractItemModel::modelReset, this, recount);
    connect(this, &QAbstractItemModel::layoutChanged, this, recount);
}

void JobFilterModel::setSourceModel(QAbstractItemModel *model)
{
    for (const auto &c : std::as_const(m_sourceConnections))
        disconnect(c);
    m_sourceConnections.clear();
    m_keys.clear();
    m_dirtyRows.clear();
    m_isDirty.clear();
    if (model) {
        m_sourceConnections << connect(model, &QAbstractItemModel::dataChanged, this,
                                       &JobFilterModel::sourceRowsChanged);
        // Without dynamic sorting the base class appends new rows: place them at settle.
        m_sourceConnections << connect(
            model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &parent, int first, int last) {
                if (m_sortRole >= 0)
                    markDirty(sourceModel()->index(first, 0, parent).row(), last);
            });
        auto forget = [this] {
            m_keys.clear();
            m_dirtyRows.clear();
            m_isDirty.clear();
        };
        m_sourceConnections << connect(model, &QAbstractItemModel::modelAboutToBeReset, this,
                                       forget)
                            << connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
                                       forget);
    }
    QSortFilterProxyModel::setSourceModel(model);
    if (!m_sortRoleName.isEmpty())
        sortBy(m_sortRoleName, m_ascending);
}

void JobFilterModel::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    refilter();
    Q_EMIT textChanged();
}

void JobFilterModel::setBackend(const QString &backend)
{
    if (backend == m_backend)
        return;
    m_backend = backend;
    refilter();
    Q_EMIT backendChanged();
}

void JobFilterModel::setState(const QString &state)
{
    if (state == m_state)
        return;
    m_state = state;
    refilter();
    Q_EMIT stateChanged();
}

void JobFilterModel::refilter()
{
    if (volatileSort()) { // rows that enter are placed with lessThan: ranks must be current
        for (const int row : std::as_const(m_dirtyRows))
            updateKey(row);
        rank(m_dirtyRows);
    }
    // A new filter is a new result set: one layout change (filter and sort in one pass)
    // instead of invalidateFilter()'s row-by-row removals, each O(rows) in the proxy.
    invalidate();
}

void JobFilterModel::sortBy(const QString &roleName, bool ascending)
{
    const int role = sourceModel() ? sourceModel()->roleNames().key(roleName.toUtf8(), -1) : -1;
    const QString name = role < 0 ? QString() : roleName;
    if (role != m_sortRole || m_order.isEmpty()) { // a new direction alone keeps the ranks
        m_keys.clear();
        m_order.clear();
        m_rank.clear();
    }
    m_sortRole = role;
    if (role >= 0) {
        setSortRole(role);
        rank(m_dirtyRows);
        sort(0, ascending ? Qt::AscendingOrder : Qt::DescendingOrder);
    } else {
        sort(-1); // back to source order: the order jobs were first seen
    }
    if (name != m_sortRoleName || ascending != m_ascending) {
        m_sortRoleName = name;
        m_ascending = ascending;
        Q_EMIT sortChanged();
    }
}

bool JobFilterModel::hasFilter() const
{
    return !m_text.isEmpty() || !m_backend.isEmpty() || !m_state.isEmpty();
}

bool JobFilterModel::volatileSort() const
{
    // Job ids never change and workers hardly ever: no need to re-sort on updates.
    return m_sortRole >= 0 && m_sortRole != JobListModel::JobIdRole &&
           m_sortRole != JobListModel::WorkerRole;
}

void JobFilterModel::sourceRowsChanged(const QModelIndex &first, const QModelIndex &last)
{
    if (hasFilter() || volatileSort()) // else values update in place and nothing can move
        markDirty(first.row(), last.row());
}

void JobFilterModel::markDirty(int first, int last)
{
    if (m_isDirty.size() <= last)
        m_isDirty.resize(last + 1, false);
    for (int row = first; row <= last; ++row) {
        if (!m_isDirty.at(row)) {
            m_isDirty[row] = true;
            m_dirtyRows.append(row);
        }
    }
    if (!m_settle.isActive())
        m_settle.start();
}

void JobFilterModel::settle()
{
    m_settle.stop();
    QElapsedTimer clock;
    clock.start();
    settleNow();
    // Keep settling under ~10% of the thread: a slow settle waits longer for the next.
    m_lastSettleNs = clock.nsecsElapsed();
    m_settle.setInterval(int(std::clamp<qint64>(m_lastSettleNs / 100'000, 500, 5000)));
}

void JobFilterModel::settleNow()
{
    const QList<int> rows = std::exchange(m_dirtyRows, {});
    for (const int row : rows)
        m_isDirty[row] = false;
    if (rows.isEmpty() || !sourceModel())
        return;

    if (m_sortRole >= 0) {
        for (const int row : rows)
            updateKey(row);
        rank(rows);
    }

    if (hasFilter()) {
        for (const int row : rows) {
            const bool shown = mapFromSource(sourceModel()->index(row, 0)).isValid();
            if (shown != filterAcceptsRow(row, {})) {
                invalidateFilter(); // removes and inserts (sorted) only the rows that flipped
                break;
            }
        }
    }

    if (m_sortRole < 0)
        return;
    // Re-sort only when a changed row now sits out of order among its neighbours.
    const bool ascending = sortOrder() == Qt::AscendingOrder;
    auto before = [&](int a, int b) { // proxy rows: does a belong before b?
        const QModelIndex l = mapToSource(index(a, 0));
        const QModelIndex r = mapToSource(index(b, 0));
        return ascending ? lessThan(l, r) : lessThan(r, l);
    };
    const int n = rowCount();
    for (const int row : rows) {
        const int p = mapFromSource(sourceModel()->index(row, 0)).row();
        if (p < 0)
            continue;
        if ((p > 0 && before(p, p - 1)) || (p + 1 < n && before(p + 1, p))) {
            sort(0, sortOrder()); // one layout change (VerticalSortHint): views keep position
            return;
        }
    }
}

const JobFilterModel::Key &JobFilterModel::key(int sourceRow) const
{
    while (m_keys.size() <= sourceRow) {
        m_keys.append(Key{});
        updateKey(int(m_keys.size()) - 1);
    }
    return m_keys.at(sourceRow);
}

void JobFilterModel::updateKey(int sourceRow) const
{
    if (sourceRow >= m_keys.size())
        return; // made on first use
    const QVariant v = sourceModel()->index(sourceRow, 0).data(m_sortRole);
    Key &k = m_keys[sourceRow];
    if (v.typeId() == QMetaType::QString) {
        k.text = v.toString();
    } else if (m_sortRole == JobListModel::StaleSinceRole && v.toLongLong() == 0) {
        // In step: after every job that differs (ascending: the oldest staleness first).
        k.number = std::numeric_limits<double>::infinity();
    } else {
        k.number = v.toDouble();
    }
}

bool JobFilterModel::keyLess(int left, int right) const
{
    const Key &a = key(left);
    const Key &b = key(right);
    int c = naturalCompare(a.text, b.text);
    if (c == 0)
        c = a.number < b.number ? -1 : (b.number < a.number ? 1 : 0);
    // Ties keep the order first seen, so equal rows do not shuffle between sorts.
    return c != 0 ? c < 0 : left < right;
}

void JobFilterModel::rank(QList<int> changed)
{
    const int rows = sourceModel() ? sourceModel()->rowCount() : 0;
    for (int row = int(m_order.size()); row < rows; ++row)
        changed.append(row); // rows added since the last ranking
    if (m_order.isEmpty()) {
        changed.clear();
        for (int row = 0; row < rows; ++row)
            changed.append(row);
    }
    auto less = [this](int a, int b) { return keyLess(a, b); };
    std::sort(changed.begin(), changed.end(), less);
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    // Unchanged rows keep their relative order: drop the changed ones, merge them back.
    QList<int> kept;
    kept.reserve(rows);
    if (m_rank.size() < rows)
        m_rank.resize(rows, -1);
    for (const int row : std::as_const(changed))
        m_rank[row] = -1;
    for (const int row : std::as_const(m_order))
        if (m_rank.at(row) >= 0)
            kept.append(row);
    m_order.clear();
    m_order.reserve(rows);
    std::merge(kept.cbegin(), kept.cend(), changed.cbegin(), changed.cend(),
               std::back_inserter(m_order), less);
    for (qsizetype i = 0; i < m_order.size(); ++i)
        m_rank[m_order.at(i)] = int(i);
}

bool JobFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int l = left.row();
    const int r = right.row();
    if (l < m_rank.size() && r < m_rank.size() && m_rank.at(l) >= 0 && m_rank.at(r) >= 0)
        return m_rank.at(l) < m_rank.at(r);
    return keyLess(l, r); // a row added since the last ranking
}

bool JobFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (!hasFilter())
        return true;
    const QModelIndex i = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_text.isEmpty() &&
        !i.data(JobListModel::JobIdRole).toString().contains(m_text, Qt::CaseInsensitive) &&
        !i.data(JobListModel::WorkerRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    if (!m_backend.isEmpty() && i.data(JobListModel::BackendRole).toString() != m_backend &&
        i.data(JobListModel::ObservedRole).toString() != m_backend)
        return false;
    if (m_state.isEmpty())
        return true;
    if (m_state == u"stale")
        return i.data(JobListModel::StaleRole).toBool();
    if (m_state == u"failing")
        return i.data(JobListModel::TotalFailuresRole).toInt() > 0;
    return i.data(JobListModel::PersistStateRole).toString() == m_state;
}

int JobFilterModel::naturalCompare(QStringView a, QStringView b)
{
    // ASCII fast paths: ids are ASCII, and this runs ~1.7M times per sort of 100k rows.
    auto isDigit = [](char16_t c) { return c >= u'0' && c <= u'9'; };
    auto fold = [](char16_t c) -> char16_t {
        if (c < 128)
            return (c >= u'A' && c <= u'Z') ? char16_t(c + 32) : c;
        return QChar(c).toCaseFolded().unicode();
    };
    const char16_t *pa = a.utf16();
    const char16_t *pb = b.utf16();
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < a.size() && j < b.size()) {
        if (isDigit(pa[i]) && isDigit(pb[j])) {
            // Digit runs compare as numbers of any length: skip leading zeros, then the
            // longer run is larger, else the first differing digit decides.
            while (i < a.size() && pa[i] == u'0')
                ++i;
            while (j < b.size() && pb[j] == u'0')
                ++j;
            qsizetype ei = i;
            qsizetype ej = j;
            while (ei < a.size() && isDigit(pa[ei]))
                ++ei;
            while (ej < b.size() && isDigit(pb[ej]))
                ++ej;
            if (ei - i != ej - j)
                return ei - i < ej - j ? -1 : 1;
            for (; i < ei; ++i, ++j)
                if (pa[i] != pb[j])
                    return pa[i] < pb[j] ? -1 : 1;
            continue;
        }
        const char16_t ca = fold(pa[i]);
        const char16_t cb = fold(pb[j]);
        if (ca != cb)
            return ca < cb ? -1 : 1;
        ++i;
        ++j;
    }
    if (i < a.size() || j < b.size())
        return i < a.size() ? 1 : -1;
    return a.compare(b); // equal but for case or leading zeros: still a total order
}
