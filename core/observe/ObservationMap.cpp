#include "observe/ObservationMap.h"

#include "util/IdCheck.h"

#include <QDateTime>

#include <cmath>

namespace {

constexpr QLatin1String Names[] = {QLatin1String("job"), QLatin1String("backend"),
                                   QLatin1String("worker"), QLatin1String("cacheKey"),
                                   QLatin1String("ts")};

std::nullopt_t fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number with a fraction or beyond 2^53");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("not text");
    }
}

JsonPointer pointer(const char *text)
{
    return *JsonPointer::parse(QString::fromLatin1(text), nullptr);
}

/// Epoch seconds (fractions allowed) to milliseconds; nullopt when out of any sane range.
std::optional<qint64> secondsToMs(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0 || seconds > 253402300799.0) // year 9999
        return std::nullopt;
    return qint64(std::llround(seconds * 1000.0));
}

std::optional<qint64> parseTs(const QJsonValue &v, const QString &where, QString *error)
{
    if (v.isDouble()) {
        if (const auto ms = secondsToMs(v.toDouble()))
            return ms;
        return fail(error, QStringLiteral("ts at %1 is no time in seconds since 1970").arg(where));
    }
    const QString text = v.toString();
    bool numeric = false;
    const double seconds = text.toDouble(&numeric); // nginx's $msec is a string
    if (numeric) {
        if (const auto ms = secondsToMs(seconds))
            return ms;
    } else {
        QDateTime at = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (at.isValid()) {
            if (at.timeSpec() == Qt::LocalTime) // no offset given: UTC, as logs mean it
                at.setTimeSpec(Qt::UTC);
            return at.toMSecsSinceEpoch();
        }
    }
    return fail(error, QStringLiteral("ts at %1 is neither ISO 8601 nor seconds since 1970: '%2'")
                           .arg(where, text.left(64)));
}

} // namespace

QLatin1String ObservationMap::fieldName(Field field)
{
    return Names[int(field)];
}

void ObservationMap::setPointers(Field field, const QList<JsonPointer> &pointers)
{
    m_fields[int(field)] = pointers;
}

ObservationMap ObservationMap::eventLines()
{
    ObservationMap m;
    m.setPointers(Field::Job, {pointer("/job")});
    m.setPointers(Field::Backend, {pointer("/backend")});
    m.setPointers(Field::Worker, {pointer("/worker")});
    m.setPointers(Field::CacheKey, {pointer("/cacheKey")});
    m.setPointers(Field::Ts, {pointer("/ts")});
    return m;
}

ObservationMap ObservationMap::liteLlm()
{
    ObservationMap m;
    m.setPointers(Field::Job, {pointer("/trace_id")});
    m.setPointers(Field::Backend, {pointer("/model_id"), pointer("/api_base")});
    m.setPointers(Field::CacheKey, {pointer("/cache_key")});
    m.setPointers(Field::Ts, {pointer("/startTime")});
    return m;
}

std::optional<ObservationMap> ObservationMap::parse(QStringView spec, QString *error)
{
    ObservationMap m;
    bool seen[5] = {};
    if (spec.trimmed().isEmpty())
        return fail(error, QStringLiteral("--observe-map is empty: give at least "
                                          "job=POINTER,backend=POINTER"));
    for (const QStringView part : spec.split(u',')) {
        const qsizetype eq = part.indexOf(u'=');
        const QStringView key = eq < 0 ? part : part.left(eq);
        int field = -1;
        for (int i = 0; i < 5; ++i) {
            if (key == Names[i])
                field = i;
        }
        if (field < 0)
            return fail(error, QStringLiteral("--observe-map: unknown part '%1' (expected job, "
                                              "backend, worker, cacheKey or ts)")
                                   .arg(key.left(64)));
        if (eq < 0)
            return fail(error, QStringLiteral("--observe-map: '%1' needs '=POINTER', e.g. "
                                              "%1=/%1")
                                   .arg(key));
        if (seen[field])
            return fail(error, QStringLiteral("--observe-map: %1 is given twice").arg(key));
        seen[field] = true;
        QString why;
        const auto ptr = JsonPointer::parse(part.mid(eq + 1), &why);
        if (!ptr)
            return fail(error, QStringLiteral("--observe-map: %1=%2").arg(key, why));
        m.m_fields[field] = {*ptr};
    }
    if (!seen[int(Field::Job)] || !seen[int(Field::Backend)])
        return fail(error, QStringLiteral("--observe-map needs job=POINTER and backend=POINTER "
                                          "(missing %1)")
                               .arg(seen[int(Field::Job)] ? QStringLiteral("backend")
                                                          : QStringLiteral("job")));
    return m;
}

std::optional<Observation> ObservationMap::map(const QJsonObject &object, QString *error) const
{
    Observation o;
    for (int i = 0; i < 5; ++i) {
        const QList<JsonPointer> &list = m_fields[i];
        QJsonValue v(QJsonValue::Undefined);
        QString where;
        for (const JsonPointer &p : list) {
            v = p.evaluate(object);
            where = p.toString();
            if (!(v.isUndefined() || v.isNull() || (v.isString() && v.toString().isEmpty())))
                break;
            v = QJsonValue(QJsonValue::Undefined);
        }
        const auto field = Field(i);
        if (v.isUndefined()) {
            if (field == Field::Job || field == Field::Backend) {
                QStringList tried;
                for (const JsonPointer &p : list)
                    tried.append(p.toString());
                return fail(error, QStringLiteral("%1: nothing at %2")
                                       .arg(Names[i], tried.join(QStringLiteral(" or "))));
            }
            continue;
        }
        if (field == Field::Ts) {
            const auto ms = parseTs(v, where, error);
            if (!ms)
                return std::nullopt;
            o.tsMs = *ms;
            continue;
        }
        QString text;
        if (v.isString()) {
            text = v.toString();
        } else if (v.isDouble() && std::abs(v.toDouble()) <= 9007199254740992.0 &&
                   v.toDouble() == std::trunc(v.toDouble())) {
            text = QString::number(qint64(v.toDouble()));
        } else {
            return fail(error, QStringLiteral("%1 at %2 is %3").arg(Names[i], where, typeName(v)));
        }
        if (field == Field::CacheKey) {
            if (!QStringView(text).isValidUtf16())
                return fail(
                    error,
                    QStringLiteral("cacheKey at %1 contains an unpaired surrogate").arg(where));
            o.cacheKey = text;
            continue;
        }
        if (const auto problem = IdCheck::idProblem(text, QString(Names[i])))
            return fail(error, *problem);
        (field == Field::Job ? o.job : field == Field::Backend ? o.backend : o.worker) = text;
    }
    return o;
}

QString ObservationMap::toString() const
{
    QStringList parts;
    for (int i = 0; i < 5; ++i) {
        if (m_fields[i].isEmpty())
            continue;
        QStringList alternatives;
        for (const JsonPointer &p : m_fields[i]) {
            const QString plain = p.toString();
            // What --observe-map would split or misread is written in the fragment form.
            alternatives.append(plain.contains(u',') || plain.contains(u'|') ? p.toFragment()
                                                                             : plain);
        }
        parts.append(QString(Names[i]) + u'=' + alternatives.join(u'|'));
    }
    return parts.join(u',');
}
