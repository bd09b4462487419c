#include "sources/EventDispatcher.h"

#include "faults/FaultInjector.h"
#include "sources/EventSource.h"
#include "tracker/TrackerTable.h"
#include "util/Escape.h"
#include "util/Logging.h"

EventDispatcher::EventDispatcher(TrackerTable *tracker, FaultInjector *faults, QObject *parent)
    : QObject(parent), m_tracker(tracker), m_faults(faults)
{
    Q_ASSERT(tracker);
}

void EventDispatcher::attach(EventSource *source)
{
    source->setAdmission(
        [this](const EventLine &line, QString *error) { return admit(line, error); });
    connect(
        source, &EventSource::line, this, [this](const EventLine &line) { dispatch(line); },
        Qt::DirectConnection);
}

bool EventDispatcher::admit(const EventLine &line, QString *error)
{
    bool ok = true;
    if (line.type == EventLine::Type::Event) {
        ok = m_tracker->admits(line.job, line.backend, error);
    } else if (line.type == EventLine::Type::Backend && !m_backendStates.contains(line.backend)) {
        // Backend lines name backends too: bounded like the tracker's.
        const qsizetype limit = m_tracker->options().maxBackends;
        ok = m_backendStates.size() < limit && m_tracker->admits(QString(), line.backend, error);
        if (!ok && m_backendStates.size() >= limit && error)
            *error = QStringLiteral("backend limit reached: new backend '%1' refused "
                                    "(--max-backends %2)")
                         .arg(line.backend.left(64))
                         .arg(limit);
    }
    if (!ok)
        ++m_refusedLines;
    return ok;
}

bool EventDispatcher::dispatch(const EventLine &line, QString *error)
{
    // Lines from attached sources were admitted before they were emitted; below the
    // limits this costs two size comparisons.
    if (!admit(line, error))
        return false;
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
            qCWarning(lcSources).noquote() << "fault" << Escape::text(line.fault.toString())
                                           << "ignored: no fault injector in this run";
        break;
    case EventLine::Type::Backend: {
        ++m_backendLines;
        auto it = m_backendStates.find(line.backend);
        if (it == m_backendStates.end() || *it != line.state) {
            m_backendStates.insert(line.backend, line.state);
            qCInfo(lcSources).noquote()
                << "backend" << Escape::text(line.backend) << "is now" << line.state;
            Q_EMIT backendStateChanged(line.backend, line.state);
        }
        break;
    }
    }
    Q_EMIT dispatched(line);
    return true;
}
