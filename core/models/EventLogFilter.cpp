#include "models/EventLogFilter.h"

#include "models/EventLogModel.h"

EventLogFilter::EventLogFilter(QObject *parent) : QSortFilterProxyModel(parent) {}

void EventLogFilter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
    Q_EMIT filterChanged();
}

void EventLogFilter::setKinds(const QStringList &kinds)
{
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    invalidateFilter();
    Q_EMIT filterChanged();
}

bool EventLogFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (!m_kinds.isEmpty() && !m_kinds.contains(index.data(EventLogModel::KindNameRole).toString()))
        return false;
    if (m_text.isEmpty())
        return true;
    return index.data(EventLogModel::JobRole).toString().contains(m_text, Qt::CaseInsensitive) ||
           index.data(EventLogModel::WorkerRole).toString().contains(m_text, Qt::CaseInsensitive);
}
