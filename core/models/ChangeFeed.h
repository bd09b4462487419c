#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

class TrackerTable;

/*!
 * Drains the tracker's changed jobs at most once per frame and hands the same list to every
 * model, so 5,000 events/s become ~60 batched model updates per second, not 5,000.
 */
class ChangeFeed : public QObject {
    Q_OBJECT
public:
    explicit ChangeFeed(TrackerTable *tracker, int intervalMs = 16, QObject *parent = nullptr);

    TrackerTable *tracker() const { return m_tracker; }
    /// Drains now (tests, shutdown); normally driven by the frame timer.
    void drain();

Q_SIGNALS:
    /// `changed`: job indices whose state changed (each once); jobs >= `previousJobCount`
    /// are new since the last batch.
    void batch(const QList<quint32> &changed, qsizetype previousJobCount);

private:
    TrackerTable *m_tracker;
    QTimer m_timer;
    qsizetype m_jobCount = 0;
};
