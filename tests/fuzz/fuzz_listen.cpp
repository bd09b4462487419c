// --listen HOST:PORT: parse never crashes, and what it accepts prints back to text that
// binds the same address and port.
#include "FuzzSupport.h"

#include "http/ListenAddress.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = fuzzText(data, size);
    QString error;
    const std::optional<ListenAddress> address = ListenAddress::parse(text, &error);
    if (!address) {
        FUZZ_ASSERT(!error.isEmpty(), QStringLiteral("rejected without a reason"));
        return 0;
    }
    const QString printed = address->toString();
    QString again;
    const std::optional<ListenAddress> back = ListenAddress::parse(printed, &again);
    FUZZ_ASSERT(back, again + u" for "_s + printed);
    FUZZ_ASSERT(back->address == address->address && back->port == address->port, printed);
    return 0;
}
