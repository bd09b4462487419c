#pragma once

#include "util/Mulberry32.h"

#include <QList>
#include <QObject>
#include <QTimer>

class TrackerTable;

/*!
 * A small seeded in-process event source: a few workers whose jobs mostly stay on their
 * preferred backend and occasionally move. Stands in until the gateway simulation lands.
 */
class DemoSource : public QObject {
    Q_OBJECT
public:
    struct Options {
        int jobs = 12;
        int backends = 4;
        double rate = 4.0; ///< events per second per job
        double switchChance = 0.02;
        quint32 seed = 42;
    };
    DemoSource(TrackerTable *tracker, Options options, QObject *parent = nullptr);

    void start();
    void stop();

private:
    void tick();

    TrackerTable *m_tracker;
    Options m_options;
    Mulberry32 m_rng;
    QTimer m_timer;
    QList<quint32> m_backends;
    QList<quint32> m_jobs;
};
