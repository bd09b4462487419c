#pragma once

#include "sources/EventLine.h"
#include "util/Escape.h"
#include "util/Logging.h"

#include <QObject>

#include <functional>

/*!
 * Something that produces event lines: the simulation, JSONL replay, HTTP ingest, DB watch.
 * Lines go out through line(); EventDispatcher::attach() connects it directly, so a line
 * has been applied to the trackers when emit line() returns (lock-step replay relies on it).
 * Finite sources emit finished() once, after their last line has settled. Bad input never
 * stops a source: it is counted, announced through badLine(), and the first few are logged.
 */
class EventSource : public QObject {
    Q_OBJECT
public:
    /// Bad lines logged at warning level; later ones are only counted and signalled.
    static constexpr qint64 MaxLoggedBadLines = 10;

    using QObject::QObject;

    virtual void start() = 0;
    /// Stops producing lines. Does not emit finished(): the caller is shutting down anyway.
    virtual void stop() = 0;
    /// True when the source ends by itself (replay), false when it runs until stopped.
    virtual bool isFinite() const { return false; }

    qint64 badLines() const { return m_badLines; }
    /// Asked before each line is emitted (EventDispatcher::attach sets it); a line it
    /// refuses is a bad line with the reason it gives.
    using Admission = std::function<bool(const EventLine &, QString *)>;
    void setAdmission(Admission admission) { m_admission = std::move(admission); }
    qint64 linesEmitted() const { return m_linesEmitted; }

Q_SIGNALS:
    void line(const EventLine &line);
    /// `lineNumber` is 1-based (0 when the source has no line numbers, e.g. HTTP bodies).
    void badLine(qint64 lineNumber, const QString &error);
    /// The input could not be read any further (not a bad line: the input itself failed).
    void readError(const QString &message);
    /// A finite source reached its end and every write it caused has settled.
    void finished();

protected:
    /// Counts, signals and (for the first MaxLoggedBadLines) logs "NAME: line 7: missing job".
    void reportBadLine(qint64 lineNumber, const QString &error)
    {
        ++m_badLines;
        if (m_badLines <= MaxLoggedBadLines) {
            const QString where = lineNumber > 0 ? QStringLiteral("line %1").arg(lineNumber)
                                                 : QStringLiteral("input");
            // The error quotes the line (an unknown type, a bad state): escape what came in.
            qCWarning(lcSources).noquote()
                << Escape::text(QStringLiteral("%1: %2: %3").arg(sourceName(), where, error));
            if (m_badLines == MaxLoggedBadLines)
                qCWarning(lcSources).noquote()
                    << QStringLiteral("%1: further bad lines are counted but not shown")
                           .arg(sourceName());
        }
        Q_EMIT badLine(lineNumber, error);
    }
    /// Emits `l` unless the admission refuses it; `lineNumber` as for reportBadLine().
    bool emitLine(const EventLine &l, qint64 lineNumber = 0)
    {
        QString refusal;
        if (m_admission && !m_admission(l, &refusal)) {
            reportBadLine(lineNumber, refusal);
            return false;
        }
        ++m_linesEmitted;
        Q_EMIT line(l);
        return true;
    }
    /// How messages name this source, e.g. the replay file's path.
    virtual QString sourceName() const { return objectName(); }

private:
    qint64 m_badLines = 0;
    qint64 m_linesEmitted = 0;
    Admission m_admission;
};
