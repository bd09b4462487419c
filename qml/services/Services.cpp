#include "Services.h"

#include "Counters.h"
#include "Faults.h"
#include "Fleet.h"
#include "Run.h"
#include "Selection.h"
#include "Settings.h"
#include "Simulation.h"
#include "Watch.h"

#include <QJSEngine>

namespace {
QPointer<Services> g_current;
} // namespace

void setCppOwnership(QObject *object)
{
    QJSEngine::setObjectOwnership(object, QJSEngine::CppOwnership);
}

Services::Services(QObject *parent)
    : QObject(parent), m_run(new Run(this)), m_fleet(new Fleet(this)),
      m_selection(new Selection(this)), m_counters(new Counters(this)), m_faults(new Faults(this)),
      m_simulation(new Simulation(this)), m_watch(new Watch(this)), m_settings(new Settings(this))
{}

Services::~Services()
{
    if (g_current == this)
        g_current = nullptr;
}

Services *Services::current()
{
    // Tooling and a QML file loaded without the app get an unattached set: every figure
    // reads as "nothing yet" instead of failing.
    if (!g_current)
        g_current = new Services(nullptr);
    return g_current;
}

void Services::setCurrent(Services *services)
{
    g_current = services;
}

void Services::attach(Session *session)
{
    m_session = session;
    m_run->attach(session);
    m_fleet->attach(session);
    m_selection->attach(session);
    m_counters->attach(session);
    m_faults->attach(session);
    m_simulation->attach(session);
    m_watch->attach(session);
}
