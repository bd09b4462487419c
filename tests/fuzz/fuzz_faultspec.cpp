// Fault specs (--fault, fault lines, the fault panel): parse never crashes, and the
// canonical text of what it accepts parses back to the same fault.
#include "FuzzSupport.h"

#include "faults/FaultSpec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = fuzzText(data, size);
    QString error;
    const std::optional<FaultSpec> spec = FaultSpec::parse(text, &error);
    if (!spec) {
        FUZZ_ASSERT(!error.isEmpty(), QStringLiteral("rejected without a reason"));
        return 0;
    }
    const QString canonical = spec->toString();
    QString again;
    const std::optional<FaultSpec> back = FaultSpec::parse(canonical, &again);
    FUZZ_ASSERT(back, again + u" for "_s + canonical);
    FUZZ_ASSERT(*back == *spec, canonical);
    return 0;
}
