#include "faults/FaultSpec.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <iterator>
#include <limits>

namespace {

struct KindName {
    FaultSpec::Kind kind;
    QLatin1String name;
};

constexpr KindName kKinds[] = {
    {FaultSpec::Kind::FailNext, QLatin1String("fail-next")},
    {FaultSpec::Kind::FailRate, QLatin1String("fail-rate")},
    {FaultSpec::Kind::LatencyMs, QLatin1String("latency-ms")},
    {FaultSpec::Kind::Offline, QLatin1String("offline")},
    {FaultSpec::Kind::Online, QLatin1String("online")},
    {FaultSpec::Kind::Clear, QLatin1String("clear")},
};

QLatin1String kindName(FaultSpec::Kind kind)
{
    for (const KindName &k : kKinds) {
        if (k.kind == kind)
            return k.name;
    }
    return QLatin1String("?");
}

// QString's number parsers skip surrounding spaces and accept signs; a spec should not,
// or "fail-next=+2" and "fail-next= 2" would be canonicalised into something else.
bool isDigits(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c < u'0' || c > u'9')
            return false;
    }
    return true;
}

std::nullopt_t fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return std::nullopt;
}

QString quoted(const std::optional<QString> &value)
{
    return value ? QStringLiteral("'%1'").arg(*value) : QStringLiteral("nothing");
}

} // namespace

std::optional<FaultSpec> FaultSpec::parse(const QString &text, QString *error)
{
    const QString spec = text.trimmed();
    if (spec.isEmpty())
        return fail(error, QStringLiteral("empty fault spec"));

    const QStringList parts = spec.split(u',');
    const QString &head = parts.first();
    const qsizetype eq = head.indexOf(u'=');
    const QString name = eq < 0 ? head : head.left(eq);
    const std::optional<QString> value =
        eq < 0 ? std::nullopt : std::optional<QString>(head.mid(eq + 1));

    FaultSpec out;
    const auto known = std::find_if(std::begin(kKinds), std::end(kKinds),
                                    [&](const KindName &k) { return name == k.name; });
    if (known == std::end(kKinds))
        return fail(error, QStringLiteral("unknown fault kind '%1'").arg(name));
    out.kind = known->kind;

    switch (out.kind) {
    case Kind::FailNext: {
        bool ok = false;
        out.count = value && isDigits(*value) ? value->toLongLong(&ok) : 0;
        if (!ok || out.count < 1)
            return fail(
                error,
                QStringLiteral("fail-next needs a whole number ≥ 1, got %1").arg(quoted(value)));
        break;
    }
    case Kind::FailRate: {
        bool ok = false;
        // Digits, '.', exponent only: rejects "nan", "inf", spaces and signs in one go.
        const bool plain =
            value && !value->isEmpty() && std::all_of(value->cbegin(), value->cend(), [](QChar c) {
                return (c >= u'0' && c <= u'9') || c == u'.' || c == u'e' || c == u'E' || c == u'-';
            });
        out.probability = plain ? QLocale::c().toDouble(*value, &ok) : 0.0;
        if (!ok || !(out.probability >= 0.0 && out.probability <= 1.0))
            return fail(error,
                        QStringLiteral("fail-rate needs a probability between 0 and 1, got %1")
                            .arg(quoted(value)));
        out.probability += 0.0; // "-0" would otherwise print back as "-0"
        break;
    }
    case Kind::LatencyMs: {
        bool ok = false;
        // Ten minutes is far past any real latency; anything longer is a typo that would
        // hold writes (and a shutdown) for days.
        out.count = value && isDigits(*value) ? value->toLongLong(&ok) : 0;
        if (!ok || out.count > MaxLatencyMs)
            return fail(error,
                        QStringLiteral("latency-ms needs a whole number of milliseconds from 0 "
                                       "to %1 (ten minutes), got %2")
                            .arg(MaxLatencyMs)
                            .arg(quoted(value)));
        break;
    }
    case Kind::Offline:
    case Kind::Online:
    case Kind::Clear:
        if (value)
            return fail(error, QStringLiteral("%1 takes no value, got '%2'").arg(name, head));
        break;
    }

    bool seenSeed = false;
    for (qsizetype i = 1; i < parts.size(); ++i) {
        const QString &part = parts.at(i);
        const qsizetype split = part.indexOf(u'=');
        const QString key = split < 0 ? part : part.left(split);
        const QString arg = split < 0 ? QString() : part.mid(split + 1);
        if (part.isEmpty())
            return fail(error, QStringLiteral("empty option in fault '%1'").arg(spec));
        if (split >= 0 && (key == u"job" || key == u"worker")) {
            const Scope scope = key == u"job" ? Scope::Job : Scope::Worker;
            if (out.scope == scope)
                return fail(error, QStringLiteral("%1= given twice in fault '%2'").arg(key, spec));
            if (out.scope != Scope::All)
                return fail(error, QStringLiteral("a fault takes job= or worker=, not both"));
            if (arg.isEmpty())
                return fail(error, QStringLiteral("empty %1 id").arg(key));
            // toString() puts the scope last, where parse() trims: an id ending in white
            // space could not be recorded and replayed (found by fuzz_faultspec).
            if (arg.back().isSpace())
                return fail(error,
                            QStringLiteral("%1 id '%2' ends with white space").arg(key, arg));
            out.scope = scope;
            out.scopeId = arg;
        } else if (split >= 0 && key == u"seed") {
            if (out.kind != Kind::FailRate)
                return fail(error, QStringLiteral("seed only applies to fail-rate"));
            if (seenSeed)
                return fail(error, QStringLiteral("seed= given twice in fault '%1'").arg(spec));
            bool ok = false;
            const quint32 seed = isDigits(arg) ? arg.toUInt(&ok) : 0;
            if (!ok)
                return fail(error,
                            QStringLiteral("seed needs a whole number between 0 and 4294967295, "
                                           "got '%1'")
                                .arg(arg));
            out.seed = seed;
            seenSeed = true;
        } else {
            return fail(error, QStringLiteral("unknown option '%1' in fault '%2'").arg(part, spec));
        }
    }
    if (out.kind == Kind::Clear && out.scope != Scope::All)
        return fail(error,
                    QStringLiteral("clear removes every fault; it takes no job= or worker="));
    return out;
}

QString FaultSpec::toString() const
{
    QString out = kindName(kind);
    switch (kind) {
    case Kind::FailNext:
    case Kind::LatencyMs:
        out += u'=' + QString::number(count);
        break;
    case Kind::FailRate:
        // Shortest text that reads back as the same double, so parse(toString()) == *this.
        out += u'=' + QString::number(probability, 'g', QLocale::FloatingPointShortest);
        if (seed)
            out += QStringLiteral(",seed=") + QString::number(*seed);
        break;
    case Kind::Offline:
    case Kind::Online:
    case Kind::Clear:
        break;
    }
    if (scope == Scope::Job)
        out += QStringLiteral(",job=") + scopeId;
    else if (scope == Scope::Worker)
        out += QStringLiteral(",worker=") + scopeId;
    return out;
}
