// Event lines (replay, record, POST /events): parse never crashes, and what it accepts
// writes back to JSON that parses to the same line.
#include "FuzzSupport.h"

#include "sources/EventLine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)EventLine::isBlank(bytes);
    QString error;
    const std::optional<EventLine> line = EventLine::parse(bytes, &error);
    if (!line) {
        FUZZ_ASSERT(!error.isEmpty(), QStringLiteral("rejected without a reason"));
        return 0;
    }
    const QByteArray json = line->toJson();
    FUZZ_ASSERT(!json.contains('\n'), QString::fromUtf8(json));
    QString again;
    const std::optional<EventLine> back = EventLine::parse(json, &again);
    FUZZ_ASSERT(back, again + u" for "_s + QString::fromUtf8(json));
    FUZZ_ASSERT(*back == *line, QString::fromUtf8(json));
    return 0;
}
