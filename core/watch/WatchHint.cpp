#include "watch/WatchHint.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <cmath>

namespace {
/// A JSON number names an integer id exactly up to 2^53; past it, poll.
constexpr double MaxExactJsonInteger = 9007199254740992.0;
} // namespace

WatchHint WatchHint::parse(const QString &payload, const WatchSpec &spec)
{
    QJsonParseError parsed;
    const QJsonDocument doc = QJsonDocument::fromJson(payload.toUtf8(), &parsed);
    const QJsonObject o = doc.object();
    if (parsed.error != QJsonParseError::NoError || !doc.isObject() ||
        !o.value(u"table").isString())
        return {Kind::Poll, {}};
    // One channel for every watched table: keep this table's rows (in this schema, when
    // the table was named with one).
    if (o.value(u"table").toString() != spec.table ||
        (!spec.schema.isEmpty() && o.value(u"schema").toString() != spec.schema))
        return {Kind::OtherTable, {}};
    if (o.value(u"overflow").toBool())
        return {Kind::Poll, {}}; // the row was too big for a payload
    // Ids may be numbers in the operator's schema; the tracker keys jobs by their text.
    const QJsonValue job = o.value(u"job");
    if (job.isString())
        return {Kind::Job, job.toString()};
    const double number = job.toDouble();
    if (job.isDouble() && std::abs(number) <= MaxExactJsonInteger && number == std::trunc(number))
        return {Kind::Job, QString::number(qint64(number))};
    return {Kind::Poll, {}};
}
