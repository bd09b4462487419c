#pragma once

#include <QObject>

class QSocketNotifier;

/*!
 * SIGINT and SIGTERM, delivered through the event loop (the handler only writes a byte to
 * a socket pair), in GUI and headless mode alike. interrupted() says how many have come so
 * far: the first asks for a clean shutdown, the second for an exit at once.
 */
class Interrupts : public QObject {
    Q_OBJECT
public:
    explicit Interrupts(QObject *parent = nullptr);
    ~Interrupts() override;

Q_SIGNALS:
    void interrupted(int count);

private:
    QSocketNotifier *m_notifier = nullptr;
    int m_count = 0;
};
