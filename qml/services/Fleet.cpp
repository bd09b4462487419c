#include "Fleet.h"

#include "Services.h"
#include "models/ActivityHistory.h"
#include "models/BackendModel.h"
#include "models/EventLogFilter.h"
#include "models/EventLogModel.h"
#include "models/JobFilterModel.h"
#include "models/JobListModel.h"
#include "session/Session.h"

Fleet::Fleet(QObject *parent)
    : QObject(parent), m_jobTable(new JobFilterModel(this)), m_backends(new BackendModel(this)),
      m_eventLog(new EventLogFilter(this)), m_activity(new ActivityHistory(this))
{}

Fleet::~Fleet() = default;

Fleet *Fleet::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->fleet());
}

void Fleet::attach(Session *session)
{
    m_session = session;
    m_jobTable->setSourceModel(session->jobs());
    m_backends->setSources(session->tracker(), session->sim(), session->dispatcher());
    m_eventLog->setSourceModel(session->eventLog());
    m_activity->follow(session->tracker());
    Q_EMIT changed();
}

QAbstractItemModel *Fleet::jobs() const
{
    return m_session ? m_session->jobs() : nullptr;
}

bool Fleet::setBackendState(const QString &backendId, const QString &state)
{
    return m_session && m_session->setBackendState(backendId, state);
}
