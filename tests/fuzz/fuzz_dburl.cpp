// Database URLs: parse never crashes, and no error text nor redacted() ever shows the
// password, however malformed the rest. Input: a shape byte, then USER '\t' PASSWORD '\t'
// REST; the URL is built around the password in one of several shapes (with and without
// "//", percent-encoded, as ?password=). The password gets markers so it is recognisable.
#include "FuzzSupport.h"

#include "store/DbUrl.h"

#include <QUrl>

namespace {

const QString kOpen = QStringLiteral("Qz7");
const QString kClose = QStringLiteral("Jx4");

void assertHidden(const QString &shown, const QString &password, const QString &url)
{
    FUZZ_ASSERT(!shown.contains(password), shown + u" shows the password of "_s + url);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int shape = data[0] % 6;
    const QStringList parts = fuzzText(data + 1, size - 1).split(u'\t');
    const QString user = parts.value(0);
    const QString secret = kOpen + parts.value(1) + kClose;
    const QString rest = parts.mid(2).join(u'\t');
    // Markers outside the password would make "shows the password" ambiguous.
    if (user.contains(kOpen) || user.contains(kClose) || rest.contains(kOpen) ||
        rest.contains(kClose) || parts.value(1).contains(kOpen) || parts.value(1).contains(kClose))
        return 0;

    QString url;
    QString hidden = secret; // what must not appear
    switch (shape) {
    case 0:
        url = QStringLiteral("postgresql://") + user + u':' + secret + u'@' + rest;
        break;
    case 1:
        url = QStringLiteral("postgresql:") + user + u':' + secret + u'@' + rest;
        break;
    case 2:
        url = QStringLiteral("postgres://") + user + u':' + secret + u'@' + rest;
        break;
    case 3:
        url = user + QStringLiteral("://u:") + secret + u'@' + rest;
        break; // any scheme
    case 4: {
        const QString encoded = QString::fromUtf8(QUrl::toPercentEncoding(secret));
        url = QStringLiteral("postgresql://") + user + u':' + encoded + u'@' + rest;
        hidden = encoded;
        break;
    }
    default:
        url = QStringLiteral("postgresql://") + user + u'@' + rest + QStringLiteral("?password=") +
              secret;
        break;
    }

    QString error;
    const std::optional<DbUrl> parsed = DbUrl::parse(url, &error);
    assertHidden(DbUrl::redactText(url), hidden, url);
    if (!parsed) {
        FUZZ_ASSERT(!error.isEmpty(), QStringLiteral("rejected without a reason"));
        assertHidden(error, hidden, url);
        if (hidden != secret)
            assertHidden(error, secret, url);
        return 0;
    }
    assertHidden(parsed->redacted(), secret, url);
    assertHidden(parsed->redacted(), hidden, url);
    // What redacted() prints parses again (it is shown to people who copy it).
    QString again;
    FUZZ_ASSERT(DbUrl::parse(parsed->redacted(), &again) || parsed->kind == DbUrl::Kind::Sqlite,
                again + u" for "_s + parsed->redacted());
    return 0;
}
