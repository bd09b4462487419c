#include "Session.h"

#include "faults/FaultInjector.h"
#include "models/ChangeFeed.h"
#include "models/JobListModel.h"
#include "sources/DemoSource.h"
#include "store/JobStore.h"
#include "store/StoreError.h"
#include "tracker/TrackerTable.h"

#include <QException>

Session::Session(const CommandLine &commandLine, const DbUrl &url, QObject *parent)
    : QObject(parent), m_commandLine(commandLine), m_url(url)
{
    m_store = std::make_unique<JobStore>(m_url);
    m_faults = std::make_unique<FaultInjector>(m_store.get(), m_commandLine.seed + 1);
    m_tracker = std::make_unique<TrackerTable>(m_faults.get());
    m_feed = std::make_unique<ChangeFeed>(m_tracker.get());
    m_jobs = std::make_unique<JobListModel>(m_feed.get());
    for (const QString &spec : std::as_const(m_commandLine.faults)) {
        QString error;
        m_faults->apply(spec, &error); // already validated by CommandLine
    }
}

Session::~Session() = default;

void Session::start()
{
    const auto fail = [this](const QException &e) {
        Q_EMIT failed(QString::fromUtf8(e.what()), 3);
    };
    m_store->open()
        .then(this,
              [this, fail] {
                  m_store->loadSnapshot()
                      .then(this,
                            [this](const StoreSnapshot &snapshot) {
                                for (const StoreSnapshot::Job &job : snapshot.jobs)
                                    m_tracker->addJob(job.id, job.worker, job.backend);
                                loaded();
                            })
                      .onFailed(this, fail);
              })
        .onFailed(this, fail);
}

void Session::loaded()
{
    DemoSource::Options options;
    options.jobs = m_commandLine.jobs;
    options.backends = m_commandLine.backends;
    options.rate = m_commandLine.rate;
    options.seed = m_commandLine.seed;
    m_source = std::make_unique<DemoSource>(m_tracker.get(), options);
    m_source->start();
    Q_EMIT ready();
}

void Session::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_source)
        m_source->stop();
    m_tracker->flush();
    if (m_tracker->writesInFlight() == 0) {
        Q_EMIT finished();
        return;
    }
    connect(m_tracker.get(), &TrackerTable::settled, this, &Session::finished,
            Qt::SingleShotConnection);
}
