#pragma once

#include "observe/Observation.h"
#include "observe/ObservationMap.h"

#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>

#include <memory>
#include <vector>

class FollowedFile;
class TrackerTable;

/*!
 * Watch mode's observations, from every input: `POST /events` (event lines), `POST
 * /ingest/litellm` (LiteLLM's StandardLoggingPayload) and `--observe` files. Each applies
 * through TrackerTable::observeServed(), which moves only a job's observed backend and
 * cache state and never writes. Counted per source and result for
 * `stickyboard_observations_total{source,result}`.
 */
class ObservationIntake : public QObject {
    Q_OBJECT
public:
    /// accepted: applied; unmapped: a line or payload that maps to no observation (a bad
    /// line); failed: a LiteLLM payload whose call failed (it moves nothing); refused:
    /// past --max-jobs / --max-backends, or a fault line.
    enum class Result { Accepted, Unmapped, Failed, Refused };
    static QLatin1String resultName(Result result);

    explicit ObservationIntake(TrackerTable *tracker, QObject *parent = nullptr);
    ~ObservationIntake() override;

    /// Applies one observation from `source`; false with `error` past the tracker's limits.
    bool take(const Observation &o, const QString &source, QString *error);
    void count(const QString &source, Result result);

    /// POST /events in watch mode: an event line becomes an observation; backend lines are
    /// taken as they are elsewhere (`*isBackendLine`); a fault line is refused with
    /// `*conflict` set (409).
    bool takeEventLine(QByteArrayView line, QString *error, bool *conflict);

    /// What one `POST /ingest/litellm` body did.
    struct Batch {
        qint64 accepted = 0;
        qint64 failed = 0;   ///< payloads with a failed status: counted, nothing moved
        qint64 rejected = 0; ///< payloads that do not map or are refused
        QJsonArray errors;   ///< the first 100: {"payload":N (from 1),"error":…}
        QString bodyError;   ///< the body is no JSON array, object or NDJSON at all
        QJsonObject toJsonObject() const;
    };
    /// A JSON array (LiteLLM's default log_format), NDJSON, or one object.
    Batch takeLiteLlm(const QByteArray &body);
    void setLiteLlmMap(const ObservationMap &map) { m_liteLlmMap = map; }

    /// `--observe PATH` ("-": stdin), mapped by `map`; started by start().
    void addFile(const QString &path, const ObservationMap &map, bool fromStart);
    /// Opens the files; false with `error` for one that cannot be followed at all.
    bool start(QString *error);
    /// Stops every input: nothing is applied from now on.
    void stop();
    bool stopped() const { return m_stopped; }

    struct Tally {
        QString source;
        Result result;
        quint64 count;
    };
    QList<Tally> tallies() const;
    /// Unmapped lines and payloads of every source (the report's badLines).
    qint64 badLines() const { return m_badLines; }
    /// When each source last had an observation accepted (ms since the epoch): a gateway
    /// gone quiet must not look like a healthy fleet.
    const QHash<QString, qint64> &lastAcceptedMs() const { return m_lastAcceptedMs; }

    /// One --observe file's health.
    struct FileStatus {
        QString path;
        quint64 lines = 0;    ///< lines read
        quint64 badLines = 0; ///< of them, bad
        qint64 lastLineMs = 0;
    };
    QList<FileStatus> fileStatus() const;

    /// One input's health, as the window shows it: a quiet gateway log must never look like
    /// a healthy fleet.
    struct Input {
        QString name;          ///< "POST /events", "POST /ingest/litellm" or the file's path
        QString kind;          ///< "http" | "litellm" | "file"
        quint64 lines = 0;     ///< lines or payloads read
        quint64 badLines = 0;  ///< of them, not mapped or refused
        qint64 lastLineMs = 0; ///< wall clock of the latest; 0: none yet
    };
    /// Every `--observe` file (read from or not), then the HTTP inputs that got anything.
    QList<Input> inputs() const { return m_inputs; }

private:
    void noteInput(const QString &name, const QString &kind, bool bad);
    void takeFileLine(FollowedFile *file, const QByteArray &line, qint64 number);

    TrackerTable *m_tracker;
    ObservationMap m_liteLlmMap = ObservationMap::liteLlm();
    QMap<std::pair<QString, int>, quint64> m_tallies;
    qint64 m_badLines = 0;
    QHash<QString, qint64> m_lastAcceptedMs;
    struct File {
        std::unique_ptr<FollowedFile> follower;
        ObservationMap map;
        quint64 badLines = 0;
    };
    std::vector<File> m_files;
    QList<Input> m_inputs;
    bool m_stopped = false;
};
