#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QTimer>

/*!
 * A single-shot timer for any span up to years. QTimer takes an int of milliseconds (at
 * most 24.8 days, and a larger value wraps into a negative or tiny interval), so a long
 * wait is chained in steps of at most a day towards a QDeadlineTimer. It never fires
 * early: a coarse step that ends early is followed by one for the rest.
 */
class LongTimer : public QObject {
    Q_OBJECT
public:
    /// The longest single QTimer interval used.
    static constexpr qint64 StepMs = qint64(86'400) * 1000;

    explicit LongTimer(QObject *parent = nullptr);

    /// Fires timeout() once, `seconds` from now (finite and >= 0; anything else is 0).
    void start(double seconds);
    void stop();
    bool isActive() const { return m_timer.isActive(); }
    /// Milliseconds left; 0 when not active.
    qint64 remainingMs() const;

Q_SIGNALS:
    void timeout();

private:
    void arm();

    QTimer m_timer;
    QDeadlineTimer m_deadline;
};
