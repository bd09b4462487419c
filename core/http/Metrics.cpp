#include "http/Metrics.h"

#include "models/BackendLanes.h"
#include "observe/ObservationIntake.h"
#include "session/Session.h"
#include "sources/EventDispatcher.h"
#include "tracker/TrackerTable.h"
#include "watch/WatchSource.h"

#include <QDateTime>

#include <algorithm>

#ifndef STICKYBOARD_VERSION
#define STICKYBOARD_VERSION "unknown"
#endif

namespace {

/// Appends families; each family's HELP and TYPE come once, before its samples.
class Writer {
public:
    void family(const char *name, const char *type, const char *help)
    {
        m_name = name;
        m_out += "# HELP ";
        m_out += name;
        m_out += ' ';
        m_out += help;
        m_out += "\n# TYPE ";
        m_out += name;
        m_out += ' ';
        m_out += type;
        m_out += '\n';
    }
    /// A sample of the current family; `labels` is already `{k="v",…}` or empty.
    void sample(const QByteArray &labels, quint64 value)
    {
        sample(labels, QByteArray::number(value));
    }
    void sample(const QByteArray &labels, const QByteArray &value, const char *suffix = "")
    {
        m_out += m_name;
        m_out += suffix;
        m_out += labels;
        m_out += ' ';
        m_out += value;
        m_out += '\n';
    }
    void single(const char *name, const char *type, const char *help, quint64 value)
    {
        family(name, type, help);
        sample({}, value);
    }
    QByteArray take() { return std::move(m_out); }

private:
    QByteArray m_out;
    const char *m_name = "";
};

QByteArray label(const char *key, const QString &value)
{
    return QByteArray(key) + "=\"" + Metrics::escapeLabelValue(value) + '"';
}

/// Watch mode's gateway side (issue 12): pending and stale jobs, how long the table trailed
/// before it caught up, and the observations by source and result.
void renderObservations(Writer &w, const Session &session)
{
    const TrackerTable &tracker = *session.tracker();
    const Staleness &staleness = tracker.staleness();
    const qint64 now = staleness.now();
    w.single("stickyboard_pending_jobs", "gauge",
             "Jobs whose observed backend differs from the table for less than --stale-after "
             "(the write may not have landed yet).",
             quint64(staleness.pendingCount(now)));
    const qint64 oldest = staleness.oldestStaleSinceMs(now);
    w.single("stickyboard_oldest_stale_seconds", "gauge",
             "Seconds since the observed backend of the longest-stale job began to differ from "
             "the table; 0 when no job is stale.",
             oldest > 0 ? quint64(qMax<qint64>(0, now - oldest) / 1000) : 0);
    const Staleness::Histogram &h = staleness.histogram();
    w.family("stickyboard_stale_duration_seconds", "histogram",
             "How long stale jobs differed from the table before it caught up.");
    quint64 cumulative = 0;
    for (std::size_t i = 0; i < Staleness::BucketBounds.size(); ++i) {
        cumulative += h.buckets[i];
        w.sample("{le=\"" + QByteArray::number(Staleness::BucketBounds[i]) + "\"}",
                 QByteArray::number(cumulative), "_bucket");
    }
    w.sample("{le=\"+Inf\"}", QByteArray::number(h.count), "_bucket");
    w.sample({}, QByteArray::number(h.sumSeconds, 'g', 15), "_sum");
    w.sample({}, QByteArray::number(h.count), "_count");
    w.family("stickyboard_observations_total", "counter",
             "Observations of where jobs are served, by source (http, litellm, file) and result "
             "(accepted, unmapped, failed, refused).");
    const ObservationIntake *intake = session.observations();
    if (!intake)
        return;
    for (const ObservationIntake::Tally &t : intake->tallies())
        w.sample('{' + label("source", t.source) + ',' +
                     label("result", ObservationIntake::resultName(t.result)) + '}',
                 t.count);
    // A gateway gone quiet must not look like a healthy fleet: alert on the age.
    const qint64 wall = QDateTime::currentMSecsSinceEpoch();
    w.family("stickyboard_observation_age_seconds", "gauge",
             "Seconds since the last accepted observation from each source (http, litellm, "
             "file); absent until the first.");
    const QHash<QString, qint64> &last = intake->lastAcceptedMs();
    for (auto it = last.cbegin(); it != last.cend(); ++it)
        w.sample('{' + label("source", it.key()) + '}',
                 quint64(qMax<qint64>(0, wall - it.value()) / 1000));
    const QList<ObservationIntake::FileStatus> files = intake->fileStatus();
    w.family("stickyboard_observe_file_lines_total", "counter",
             "Lines read from each --observe file, bad ones included.");
    for (const ObservationIntake::FileStatus &f : files)
        w.sample('{' + label("file", f.path) + '}', f.lines);
    w.family("stickyboard_observe_file_bad_lines_total", "counter",
             "Lines of each --observe file that were not applied (no observation, or refused "
             "past --max-jobs / --max-backends).");
    for (const ObservationIntake::FileStatus &f : files)
        w.sample('{' + label("file", f.path) + '}', f.badLines);
}

} // namespace

QByteArray Metrics::escapeLabelValue(const QString &value)
{
    const QByteArray utf8 = value.toUtf8();
    QByteArray out;
    out.reserve(utf8.size());
    for (const char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray Metrics::render(const Session &session)
{
    const TrackerTable &tracker = *session.tracker();
    const TrackerTable::Counters &c = tracker.counters();
    Writer w;

    w.family("stickyboard_info", "gauge", "Always 1; the labels say how this process runs.");
    w.sample('{' + label("mode", session.modeName()) + ',' +
                 label("version", QStringLiteral(STICKYBOARD_VERSION)) + '}',
             1);

    w.single("stickyboard_events_total", "counter", "Job events applied to the trackers.",
             c.events);
    w.family("stickyboard_persist_attempts_total", "counter",
             "Settled writes of a job's backend to the database, by result.");
    w.sample("{result=\"succeeded\"}", c.succeeded);
    w.sample("{result=\"failed\"}", c.failed);
    w.single("stickyboard_switches_total", "counter",
             "Successful writes that moved a job from one backend to another.", c.switches);
    w.single("stickyboard_retries_recovered_total", "counter",
             "Successful writes for a job whose previous write had failed.", c.retriesRecovered);
    w.single("stickyboard_bad_lines_total", "counter",
             "Input lines rejected (replay file, POST /events).", quint64(session.badLines()));

    w.single("stickyboard_jobs", "gauge", "Jobs the trackers know.", quint64(tracker.jobCount()));
    w.single("stickyboard_stale_jobs", "gauge",
             "Jobs whose latest event names a backend other than the persisted one (watch "
             "mode: observed by the gateway, for longer than --stale-after).",
             quint64(tracker.staleCount()));
    w.single("stickyboard_retry_pending_jobs", "gauge",
             "Jobs whose last write failed and that wait for a retry.",
             quint64(tracker.retryPendingCount()));
    // Alerting on "a job has waited N minutes for its retry" needs the age, not the count.
    const qint64 since = tracker.oldestRetryPendingSinceMs();
    w.single("stickyboard_oldest_retry_pending_seconds", "gauge",
             "Seconds since the first failed write of the job longest in retry pending; 0 when "
             "none is.",
             since > 0
                 ? quint64(qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - since) / 1000)
                 : 0);
    if (const WatchSource *watch = session.watch())
        w.single("stickyboard_watch_up", "gauge",
                 "1 while the watched table is read live; 0 while connecting or reconnecting "
                 "(the jobs shown are then the last ones read).",
                 watch->problem().isEmpty() ? 1 : 0);
    w.single("stickyboard_writes_in_flight", "gauge",
             "Writes handed to the database whose outcome is not known yet.",
             quint64(tracker.writesInFlight()));

    QList<BackendLane> lanes = collectBackendLanes(&tracker, session.sim(), session.dispatcher());
    // Ids come from outside (POST /events): the series per backend are bounded, the busiest
    // kept, the rest summed, so 20,000 invented backends cannot make a 5 MB scrape.
    quint64 unlistedJobs = 0;
    const qsizetype unlisted = std::max<qsizetype>(0, lanes.size() - maxBackendSeries);
    if (unlisted > 0) {
        std::stable_sort(
            lanes.begin(), lanes.end(),
            [](const BackendLane &a, const BackendLane &b) { return a.jobs > b.jobs; });
        for (qsizetype i = maxBackendSeries; i < lanes.size(); ++i)
            unlistedJobs += quint64(lanes[i].jobs);
        lanes.resize(maxBackendSeries);
        std::sort(lanes.begin(), lanes.end(),
                  [](const BackendLane &a, const BackendLane &b) { return a.id < b.id; });
    }
    w.family("stickyboard_backend_jobs", "gauge",
             "Jobs whose persisted backend (the next request's hint) is this backend.");
    for (const BackendLane &lane : lanes)
        w.sample('{' + label("backend", lane.id) + '}', quint64(lane.jobs));
    w.single("stickyboard_backends_unlisted", "gauge",
             "Backends past the per-backend series limit, left out of the per-backend series.",
             quint64(unlisted));
    w.single("stickyboard_backend_jobs_unlisted", "gauge",
             "Jobs on the backends left out of stickyboard_backend_jobs.", unlistedJobs);

    // Watch mode reads only the jobs table: backend states are unknown there, not "online".
    if (session.mode() == Session::Mode::Watch) {
        renderObservations(w, session);
        return w.take();
    }
    // One series per state, so a dashboard can sum or alert on state="offline" directly.
    static const QStringList states{QStringLiteral("online"), QStringLiteral("saturated"),
                                    QStringLiteral("offline")};
    w.family("stickyboard_backend_state", "gauge",
             "1 for the backend's current state (online, saturated, offline), 0 otherwise.");
    for (const BackendLane &lane : lanes) {
        const QByteArray backend = label("backend", lane.id);
        for (const QString &state : states)
            w.sample('{' + backend + ',' + label("state", state) + '}', lane.state == state);
        if (!states.contains(lane.state)) // a state this build does not know yet
            w.sample('{' + backend + ',' + label("state", lane.state) + '}', 1);
    }
    return w.take();
}
