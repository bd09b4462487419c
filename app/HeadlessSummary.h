#pragma once

#include "CommandLine.h"
#include "session/LongTimer.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class Session;

/*!
 * The headless mode's voice: a live one-line summary on a terminal (plain periodic lines
 * when stderr is not one), and a clean stop on --duration or the end of a replay.
 */
class HeadlessSummary : public QObject {
    Q_OBJECT
public:
    HeadlessSummary(Session *session, const CommandLine &commandLine, QObject *parent = nullptr);
    ~HeadlessSummary() override;

    /// Stops the run (Session::shutdown()), saying so on a terminal.
    void stop();

private:
    void print(bool final);

    Session *m_session;
    QTimer m_ticker;
    LongTimer m_duration;
    QElapsedTimer m_clock;
    quint64 m_lastEvents = 0;
    qint64 m_lastMs = 0;
    bool m_tty = false;
};
