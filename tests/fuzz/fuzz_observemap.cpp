// --observe-map and what it maps (issue 12): the first line is a map, the rest a JSON
// object, or a POST /ingest/litellm body. Nothing crashes; a refusal says why; an accepted
// map prints back to a map that prints the same; every id mapped follows the id rule; a
// LiteLLM body accounts for each of its payloads.
#include "FuzzSupport.h"

#include "observe/ObservationIntake.h"
#include "observe/ObservationMap.h"
#include "tracker/TrackerTable.h"
#include "util/IdCheck.h"
#include "watch/ReadOnlyTarget.h"

#include <QJsonDocument>

namespace {

/// One watch-mode tracker for the whole run, bounded however long the fuzzer runs.
struct Rig {
    ReadOnlyTarget target;
    TrackerTable tracker{&target};
    ObservationIntake intake{&tracker};
    Rig()
    {
        TrackerTable::Options o = tracker.options();
        o.maxJobs = 1000;
        o.maxBackends = 100;
        o.staleAfterMs = 10'000;
        tracker.setOptions(o);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Rig rig;
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype nl = bytes.indexOf('\n');
    const QString spec = QString::fromUtf8(nl < 0 ? bytes : bytes.left(nl));
    const QByteArray rest = nl < 0 ? QByteArray() : bytes.mid(nl + 1);

    QString error;
    const std::optional<ObservationMap> map = ObservationMap::parse(spec, &error);
    if (!map) {
        FUZZ_ASSERT(!error.isEmpty(), u"map refused without a reason: "_s + spec);
    } else {
        const QString text = map->toString();
        QString again;
        const std::optional<ObservationMap> back = ObservationMap::parse(text, &again);
        FUZZ_ASSERT(back, again + u" for "_s + text);
        FUZZ_ASSERT(back->toString() == text, text);
        const QJsonDocument doc = QJsonDocument::fromJson(rest);
        if (doc.isObject()) {
            QString why;
            const std::optional<Observation> o = map->map(doc.object(), &why);
            if (o) {
                FUZZ_ASSERT(IdCheck::isValidId(o->job), o->job);
                FUZZ_ASSERT(IdCheck::isValidId(o->backend), o->backend);
                FUZZ_ASSERT(o->worker.isNull() || IdCheck::isValidId(o->worker), o->worker);
            } else {
                FUZZ_ASSERT(!why.isEmpty(), u"not mapped without a reason"_s);
            }
        }
    }

    const ObservationIntake::Batch batch = rig.intake.takeLiteLlm(rest);
    if (batch.bodyError.isEmpty())
        FUZZ_ASSERT(batch.errors.size() <= batch.rejected, u"more errors than rejections"_s);
    return 0;
}
