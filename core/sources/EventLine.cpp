#include "sources/EventLine.h"

#include "util/IdCheck.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QTimeZone>

namespace {

std::nullopt_t fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

/// Offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and
/// code points above U+10FFFF included), or -1. QJsonDocument would silently replace it.
qsizetype invalidUtf8At(QByteArrayView bytes)
{
    const auto *p = reinterpret_cast<const uchar *>(bytes.data());
    const qsizetype n = bytes.size();
    for (qsizetype i = 0; i < n;) {
        const uchar c = p[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len = 0;
        uchar lo = 0x80, hi = 0xBF; // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            lo = c == 0xE0 ? 0xA0 : 0x80;
            hi = c == 0xED ? 0x9F : 0xBF;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            lo = c == 0xF0 ? 0x90 : 0x80;
            hi = c == 0xF4 ? 0x8F : 0xBF;
        } else {
            return i;
        }
        if (i + len > n || p[i + 1] < lo || p[i + 1] > hi)
            return i;
        for (int k = 2; k < len; ++k) {
            if (p[i + k] < 0x80 || p[i + k] > 0xBF)
                return i;
        }
        i += len;
    }
    return -1;
}

/// A required, non-empty string field (ids): missing, null, non-string and "" are errors.
bool takeId(const QJsonObject &o, QLatin1String key, QString *out, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined()) {
        fail(error, QStringLiteral("missing %1").arg(key));
        return false;
    }
    if (!v.isString()) {
        fail(error, QStringLiteral("%1 must be a string, got %2").arg(key, jsonTypeName(v)));
        return false;
    }
    *out = v.toString();
    if (out->isEmpty()) {
        fail(error, QStringLiteral("empty %1").arg(key));
        return false;
    }
    // "\ud800" is valid JSON but no text: it could not be written back or stored as UTF-8.
    if (!QStringView(*out).isValidUtf16()) {
        fail(error, QStringLiteral("%1 contains an unpaired surrogate").arg(key));
        return false;
    }
    return true;
}

/// The shared id rule (util/IdCheck.h), so one bad id is a bad line, never a bad write.
bool checkId(const QString &id, const char *field, QString *error)
{
    if (const auto problem = IdCheck::idProblem(id, QString::fromLatin1(field))) {
        fail(error, *problem);
        return false;
    }
    return true;
}

/// An optional string field: absent and null give a null QString.
bool takeOptional(const QJsonObject &o, QLatin1String key, QString *out, QString *error)
{
    const QJsonValue v = o.value(key);
    if (v.isUndefined() || v.isNull()) {
        *out = QString();
        return true;
    }
    if (!v.isString()) {
        fail(error,
             QStringLiteral("%1 must be a string or null, got %2").arg(key, jsonTypeName(v)));
        return false;
    }
    *out = v.toString();
    if (out->isNull())
        *out = QStringLiteral(""); // present but empty: not the same as absent
    if (!QStringView(*out).isValidUtf16()) {
        fail(error, QStringLiteral("%1 contains an unpaired surrogate").arg(key));
        return false;
    }
    return true;
}

void appendString(QByteArray &out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (const char ch : utf8) {
        const auto c = uchar(ch);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += ch;
            }
        }
    }
    out += '"';
}

void appendField(QByteArray &out, const char *key, const QString &value)
{
    out += ",\"";
    out += key;
    out += "\":";
    if (value.isNull())
        out += "null";
    else
        appendString(out, value);
}

} // namespace

EventLine EventLine::event(const QString &job, const QString &worker, const QString &backend,
                           const QString &cacheKey)
{
    EventLine l;
    l.job = job;
    l.worker = worker;
    l.backend = backend;
    l.cacheKey = cacheKey;
    return l;
}

EventLine EventLine::faultLine(const FaultSpec &spec)
{
    EventLine l;
    l.type = Type::Fault;
    l.fault = spec;
    return l;
}

EventLine EventLine::backendLine(const QString &backend, const QString &state)
{
    EventLine l;
    l.type = Type::Backend;
    l.backend = backend;
    l.state = state;
    return l;
}

bool EventLine::isBlank(QByteArrayView bytes)
{
    for (const char c : bytes) {
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return false;
    }
    return true;
}

bool EventLine::isBackendState(QStringView state)
{
    return state == u"online" || state == u"saturated" || state == u"offline";
}

QLatin1String EventLine::typeName(Type type)
{
    switch (type) {
    case Type::Event:
        break;
    case Type::Fault:
        return QLatin1String("fault");
    case Type::Backend:
        return QLatin1String("backend");
    }
    return QLatin1String("event");
}

std::optional<EventLine> EventLine::parse(QByteArrayView bytes, QString *error)
{
    while (!bytes.isEmpty() && (bytes.back() == '\n' || bytes.back() == '\r'))
        bytes.chop(1);
    if (bytes.size() > MaxLineBytes)
        return fail(error, QStringLiteral("line too long (%1 bytes, the limit is %2)")
                               .arg(bytes.size())
                               .arg(MaxLineBytes));
    if (isBlank(bytes))
        return fail(error, QStringLiteral("blank line"));
    if (const qsizetype at = invalidUtf8At(bytes); at >= 0)
        return fail(error, QStringLiteral("invalid UTF-8 at byte %1").arg(at + 1));

    QJsonParseError parseError;
    const QByteArray raw = bytes.toByteArray();
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // QJsonDocument holds only objects and arrays; tell "5" or "\"x\"" from garbage.
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + raw + ']');
        if (wrapped.isArray() && wrapped.array().size() == 1)
            return fail(error, QStringLiteral("not a JSON object (got %1)")
                                   .arg(jsonTypeName(wrapped.array().first())));
        return fail(error, QStringLiteral("not JSON: %1 at byte %2")
                               .arg(parseError.errorString())
                               .arg(parseError.offset + 1));
    }
    if (!doc.isObject())
        return fail(error, QStringLiteral("not a JSON object (got an array)"));
    const QJsonObject o = doc.object();

    EventLine line;
    const QJsonValue type = o.value(QLatin1String("type"));
    if (type.isUndefined() || type.isNull() || type == QLatin1String("event")) {
        line.type = Type::Event;
    } else if (type == QLatin1String("fault")) {
        line.type = Type::Fault;
    } else if (type == QLatin1String("backend")) {
        line.type = Type::Backend;
    } else if (type.isString()) {
        return fail(error, QStringLiteral("unknown type '%1' (expected event, fault or backend)")
                               .arg(type.toString()));
    } else {
        return fail(error, QStringLiteral("type must be a string, got %1").arg(jsonTypeName(type)));
    }

    switch (line.type) {
    case Type::Event:
        if (!takeId(o, QLatin1String("job"), &line.job, error) ||
            !takeId(o, QLatin1String("worker"), &line.worker, error) ||
            !takeId(o, QLatin1String("backend"), &line.backend, error) ||
            !takeOptional(o, QLatin1String("cacheKey"), &line.cacheKey, error))
            return std::nullopt;
        if (!checkId(line.job, "job", error) || !checkId(line.worker, "worker", error) ||
            !checkId(line.backend, "backend", error))
            return std::nullopt;
        break;
    case Type::Fault: {
        QString spec;
        if (!takeId(o, QLatin1String("spec"), &spec, error))
            return std::nullopt;
        QString specError;
        const std::optional<FaultSpec> parsed = FaultSpec::parse(spec, &specError);
        if (!parsed)
            return fail(error, QStringLiteral("bad fault spec '%1': %2").arg(spec, specError));
        line.fault = *parsed;
        break;
    }
    case Type::Backend:
        if (!takeId(o, QLatin1String("backend"), &line.backend, error) ||
            !takeId(o, QLatin1String("state"), &line.state, error))
            return std::nullopt;
        if (!checkId(line.backend, "backend", error))
            return std::nullopt;
        if (!isBackendState(line.state))
            return fail(error,
                        QStringLiteral("bad state '%1' (expected online, saturated or offline)")
                            .arg(line.state));
        break;
    }

    if (!takeOptional(o, QLatin1String("ts"), &line.ts, error))
        return std::nullopt;
    if (!line.ts.isNull()) {
        line.time = QDateTime::fromString(line.ts, Qt::ISODateWithMs);
        if (!line.time.isValid())
            return fail(error, QStringLiteral("bad ts '%1' (expected ISO 8601, e.g. "
                                              "2024-05-01T12:00:00.000Z)")
                                   .arg(line.ts));
    }
    return line;
}

void EventLine::setTime(const QDateTime &at)
{
    time = at.toUTC();
    ts = time.toString(Qt::ISODateWithMs);
}

QByteArray EventLine::toJson() const
{
    QByteArray out;
    out.reserve(96 + 3 * (job.size() + worker.size() + backend.size() + cacheKey.size()));
    out += "{\"type\":\"";
    out += typeName(type).data();
    out += '"';
    switch (type) {
    case Type::Event:
        appendField(out, "job", job);
        appendField(out, "worker", worker);
        appendField(out, "backend", backend);
        appendField(out, "cacheKey", cacheKey);
        break;
    case Type::Fault:
        appendField(out, "spec", fault.toString());
        break;
    case Type::Backend:
        appendField(out, "backend", backend);
        appendField(out, "state", state);
        break;
    }
    if (!ts.isNull())
        appendField(out, "ts", ts);
    out += '}';
    return out;
}

bool EventLine::operator==(const EventLine &other) const
{
    const auto same = [](const QString &a, const QString &b) {
        return a.isNull() == b.isNull() && a == b;
    };
    if (type != other.type || !same(ts, other.ts) || time != other.time)
        return false;
    switch (type) {
    case Type::Event:
        return job == other.job && worker == other.worker && backend == other.backend &&
               same(cacheKey, other.cacheKey);
    case Type::Fault:
        return fault == other.fault;
    case Type::Backend:
        return backend == other.backend && state == other.state;
    }
    return false;
}
