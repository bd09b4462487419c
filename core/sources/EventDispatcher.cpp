#include "sources/EventDispatcher.h"

#include "faults/FaultInjector.h"
#include "sources/EventSource.h"
#include "tracker/TrackerTable.h"
#include "util/Logging.h"

EventDispatcher::EventDispatcher(TrackerTable *tracker, FaultInjector *faults, QObject *parent)
    : QObject(parent), m_tracker(tracker), m_faults(faults)
{
    Q_ASSERT(tracker);
}

void EventDispatcher::attach(EventSource *source)
{
    connect(source, &EventSource::line, this, &EventDispatcher::dispatch, Qt::DirectConnection);
}

void EventDispatcher::dispatch(const EventLine &line)
{
    switch (line.type) {
    case EventLine::Type::Event:
        ++m_events;
        if (m_observeOnly)
            m_tracker->observePersisted(line.job, line.worker, line.backend);
        else
            m_tracker->onEvent(line.job, line.worker, line.backend, line.cacheKey);
        break;
    case EventLine::Type::Fault:
        ++m_faultLines;
        if (m_faults)
            m_faults->apply(line.fault);
        else
            qCWarning(lcSources).noquote()
                << "fault" << line.fault.toString() << "ignored: no fault injector in this run";
        break;
    case EventLine::Type::Backend: {
        ++m_backendLines;
        auto it = m_backendStates.find(line.backend);
        if (it == m_backendStates.end() || *it != line.state) {
            m_backendStates.insert(line.backend, line.state);
            qCInfo(lcSources).noquote() << "backend" << line.backend << "is now" << line.state;
            Q_EMIT backendStateChanged(line.backend, line.state);
        }
        break;
    }
    }
    Q_EMIT dispatched(line);
}
