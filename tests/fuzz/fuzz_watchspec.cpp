// --watch-table / --watch-columns: whatever is accepted is a plain identifier
// ([A-Za-z_][A-Za-z0-9_]{0,62}, checked here without a regular expression), so the SQL
// --print-watch-sql prints keeps every name inside its quotes, comments and $sb$ quoting.
// The first byte picks what the rest is given to; a '\t' in it separates table and columns.
#include "FuzzSupport.h"

#include "watch/WatchSpec.h"

namespace {

bool plain(const QString &name)
{
    if (name.isEmpty() || name.size() > 63 || (name.at(0) >= u'0' && name.at(0) <= u'9'))
        return false;
    for (const QChar c : name) {
        const char16_t u = c.unicode();
        const bool ok =
            (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int mode = data[0] % 3;
    const QString text = fuzzText(data + 1, size - 1);
    const qsizetype tab = text.indexOf(u'\t');
    const QString tablePart = mode == 2 && tab >= 0 ? text.left(tab) : text;
    const QString columnPart = mode == 2 && tab >= 0 ? text.mid(tab + 1) : text;

    WatchSpec spec;
    QString error;
    if (mode != 1 && !spec.setTable(tablePart, &error))
        FUZZ_ASSERT(!error.isEmpty(), QStringLiteral("table rejected without a reason"));
    error.clear();
    if (mode != 0 && !spec.setColumns(columnPart, &error))
        FUZZ_ASSERT(!error.isEmpty(), QStringLiteral("columns rejected without a reason"));

    for (const QString &name : {spec.table, spec.idColumn, spec.backendColumn})
        FUZZ_ASSERT(plain(name), name);
    for (const QString &name : {spec.schema, spec.workerColumn})
        FUZZ_ASSERT(name.isEmpty() || plain(name), name);

    const QString sql = spec.postgresTriggerSql();
    FUZZ_ASSERT(sql.count(QStringLiteral("$sb$")) == 2, sql);
    // Only the fixed text has line breaks: the comment lines stay comments.
    FUZZ_ASSERT(sql.count(u'\n') == WatchSpec{}.postgresTriggerSql().count(u'\n'), sql);
    return 0;
}
