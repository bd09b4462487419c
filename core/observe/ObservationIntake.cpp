#include "observe/ObservationIntake.h"

#include "observe/FollowedFile.h"
#include "sources/EventLine.h"
#include "tracker/TrackerTable.h"
#include "util/Escape.h"
#include "util/Logging.h"

#include <QDateTime>
#include <QJsonDocument>

#include <algorithm>

namespace {

constexpr int MaxListedErrors = 100;
constexpr int MaxLoggedBadLines = 10; ///< per file; the rest are counted only

} // namespace

QLatin1String ObservationIntake::resultName(Result result)
{
    switch (result) {
    case Result::Accepted:
        return QLatin1String("accepted");
    case Result::Unmapped:
        return QLatin1String("unmapped");
    case Result::Failed:
        return QLatin1String("failed");
    case Result::Refused:
        break;
    }
    return QLatin1String("refused");
}

ObservationIntake::ObservationIntake(TrackerTable *tracker, QObject *parent)
    : QObject(parent), m_tracker(tracker)
{}

ObservationIntake::~ObservationIntake() = default;

void ObservationIntake::count(const QString &source, Result result)
{
    ++m_tallies[{source, int(result)}];
    if (result == Result::Unmapped)
        ++m_badLines;
    // Files are noted by path (takeFileLine); the HTTP inputs by route.
    const bool bad = result == Result::Unmapped || result == Result::Refused;
    if (source == QLatin1String("http"))
        noteInput(QStringLiteral("POST /events"), source, bad);
    else if (source == QLatin1String("litellm"))
        noteInput(QStringLiteral("POST /ingest/litellm"), source, bad);
}

void ObservationIntake::noteInput(const QString &name, const QString &kind, bool bad)
{
    auto it = std::find_if(m_inputs.begin(), m_inputs.end(),
                           [&](const Input &input) { return input.name == name; });
    if (it == m_inputs.end())
        it = m_inputs.insert(m_inputs.end(), Input{name, kind});
    ++it->lines;
    if (bad)
        ++it->badLines;
    it->lastLineMs = QDateTime::currentMSecsSinceEpoch();
}

bool ObservationIntake::take(const Observation &o, const QString &source, QString *error)
{
    if (m_stopped) {
        if (error)
            *error = QStringLiteral("shutting down: no more observations are taken");
        return false;
    }
    if (!m_tracker->admits(o.job, o.backend, error)) {
        count(source, Result::Refused);
        return false;
    }
    m_tracker->observeServed(o.job, o.worker, o.backend, o.cacheKey, o.tsMs);
    count(source, Result::Accepted);
    m_lastAcceptedMs[source] = QDateTime::currentMSecsSinceEpoch();
    return true;
}

bool ObservationIntake::takeEventLine(QByteArrayView bytes, QString *error, bool *conflict)
{
    const QString source = QStringLiteral("http");
    const std::optional<EventLine> line = EventLine::parse(bytes, error);
    if (!line) {
        count(source, Result::Unmapped);
        return false;
    }
    if (line->type != EventLine::Type::Event) {
        // Faults act on writes, and watch mode makes none; a backend's state is not an
        // observation of where a job runs.
        if (conflict)
            *conflict = true;
        if (error)
            *error = line->type == EventLine::Type::Fault
                         ? QStringLiteral("fault lines are refused in watch mode: Stickyboard "
                                          "never writes to the watched database, so there is "
                                          "no write to fail; send event lines")
                         : QStringLiteral("backend lines are refused in watch mode: the "
                                          "watched table says nothing of backend states; send "
                                          "event lines");
        count(source, Result::Refused);
        return false;
    }
    const qint64 tsMs = line->time.isValid() ? line->time.toMSecsSinceEpoch() : 0;
    return take({line->job, line->worker, line->backend, line->cacheKey, tsMs}, source, error);
}

QList<ObservationIntake::Tally> ObservationIntake::tallies() const
{
    QList<Tally> out;
    for (auto it = m_tallies.cbegin(); it != m_tallies.cend(); ++it)
        out.append({it.key().first, Result(it.key().second), it.value()});
    return out;
}

void ObservationIntake::addFile(const QString &path, const ObservationMap &map, bool fromStart)
{
    auto file = std::make_unique<FollowedFile>(path, fromStart);
    FollowedFile *f = file.get();
    connect(f, &FollowedFile::line, this,
            [this, f](const QByteArray &line, qint64 number) { takeFileLine(f, line, number); });
    connect(f, &FollowedFile::tooLong, this, [this, f](qint64 number) {
        count(QStringLiteral("file"), Result::Unmapped);
        noteInput(f->path(), QStringLiteral("file"), true);
        qCWarning(lcSources).noquote()
            << Escape::text(QStringLiteral("%1:%2: bad line: longer than %3 bytes")
                                .arg(f->path(), QString::number(number),
                                     QString::number(FollowedFile::MaxLineBytes)));
    });
    connect(f, &FollowedFile::notice, this,
            [](const QString &message) { qCInfo(lcSources).noquote() << Escape::text(message); });
    m_files.push_back({std::move(file), map, 0});
    m_inputs.append(
        Input{path == QLatin1String("-") ? QStringLiteral("stdin") : path, QStringLiteral("file")});
}

QList<ObservationIntake::FileStatus> ObservationIntake::fileStatus() const
{
    QList<FileStatus> out;
    for (const File &f : m_files)
        out.append(
            {f.follower->path(), f.follower->linesRead(), f.badLines, f.follower->lastLineMs()});
    return out;
}

bool ObservationIntake::start(QString *error)
{
    for (const File &file : m_files) {
        if (!file.follower->start(error))
            return false;
    }
    return true;
}

void ObservationIntake::stop()
{
    m_stopped = true;
    for (const File &file : m_files)
        file.follower->stop();
}

void ObservationIntake::takeFileLine(FollowedFile *file, const QByteArray &line, qint64 number)
{
    if (m_stopped || EventLine::isBlank(line))
        return;
    File *entry = nullptr;
    for (File &f : m_files) {
        if (f.follower.get() == file)
            entry = &f;
    }
    Q_ASSERT(entry);
    const QString source = QStringLiteral("file");
    QString error;
    QJsonParseError parse{};
    const QJsonDocument doc = QJsonDocument::fromJson(line, &parse);
    std::optional<Observation> o;
    if (parse.error != QJsonParseError::NoError)
        error = QStringLiteral("not JSON: %1 at byte %2")
                    .arg(parse.errorString(), QString::number(parse.offset + 1));
    else if (!doc.isObject())
        error = QStringLiteral("not a JSON object");
    else
        o = entry->map.map(doc.object(), &error);
    const bool ok = o && take(*o, source, &error);
    noteInput(entry->follower->path() == QLatin1String("-") ? QStringLiteral("stdin")
                                                            : entry->follower->path(),
              source, !ok);
    if (ok)
        return;
    if (!o)
        count(source, Result::Unmapped);
    // Named with file and line; a log that goes bad for good must not flood stderr.
    const quint64 bad = ++entry->badLines;
    if (bad <= MaxLoggedBadLines)
        qCWarning(lcSources).noquote()
            << Escape::text(QStringLiteral("%1:%2: bad line: %3%4")
                                .arg(file->path(), QString::number(number), error,
                                     bad == MaxLoggedBadLines
                                         ? QStringLiteral(" (further bad lines are counted only)")
                                         : QString()));
}
