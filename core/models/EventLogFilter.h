#pragma once

#include <QSortFilterProxyModel>

/// The event log filtered by kind (switches, failures, recoveries, …) and by job or worker text.
class EventLogFilter : public QSortFilterProxyModel {
    Q_OBJECT
    Q_PROPERTY(QString text READ text WRITE setText NOTIFY filterChanged)
    Q_PROPERTY(QStringList kinds READ kinds WRITE setKinds NOTIFY filterChanged)
public:
    explicit EventLogFilter(QObject *parent = nullptr);

    QString text() const { return m_text; }
    void setText(const QString &text);
    /// Kind names to show ("switch", "failure", "recovery", …); empty = all.
    QStringList kinds() const { return m_kinds; }
    void setKinds(const QStringList &kinds);

Q_SIGNALS:
    void filterChanged();

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
    QStringList m_kinds;
};
