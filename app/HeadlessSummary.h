#pragma once

#include "CommandLine.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class Session;
class QSocketNotifier;

/*!
 * The headless mode's voice: a live one-line summary on a terminal (plain periodic lines
 * when stderr is not one), and a clean stop on --duration or Ctrl-C with every write settled.
 */
class HeadlessSummary : public QObject {
    Q_OBJECT
public:
    HeadlessSummary(Session *session, const CommandLine &commandLine, QObject *parent = nullptr);
    ~HeadlessSummary() override;

private:
    void print(bool final);
    void stop();

    Session *m_session;
    QTimer m_ticker;
    QTimer m_duration;
    QElapsedTimer m_clock;
    quint64 m_lastEvents = 0;
    qint64 m_lastMs = 0;
    bool m_tty = false;
    QSocketNotifier *m_signals = nullptr;
};
