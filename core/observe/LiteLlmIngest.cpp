// POST /ingest/litellm: the body LiteLLM's Generic API callback sends, in each of its
// log_formats: a JSON array of StandardLoggingPayload objects (the default), NDJSON, or
// one object. A payload whose call failed (`status` other than "success") says nothing
// about where the job runs: it is counted and moves nothing.

#include "observe/ObservationIntake.h"

#include <QJsonDocument>
#include <QList>

namespace {

const QString Source = QStringLiteral("litellm");

/// The payloads of a body, or an error for a body that is none of the three formats.
QList<QJsonValue> payloads(const QByteArray &body, QString *error, QList<qint64> *lineOf)
{
    QList<QJsonValue> out;
    QJsonParseError parse{};
    const QJsonDocument whole = QJsonDocument::fromJson(body, &parse);
    if (parse.error == QJsonParseError::NoError) {
        if (whole.isArray()) {
            for (const QJsonValue &v : whole.array())
                out.append(v);
        } else {
            out.append(whole.object());
        }
        return out;
    }
    // NDJSON: one payload per non-blank line; a bad line among good ones is one bad payload.
    const QString wholeError = QStringLiteral("the body is no JSON array, object or NDJSON: "
                                              "%1 at byte %2")
                                   .arg(parse.errorString(), QString::number(parse.offset + 1));
    qsizetype good = 0;
    const QList<QByteArray> lines = body.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &parse);
        if (parse.error != QJsonParseError::NoError) {
            out.append(QJsonValue(QJsonValue::Undefined));
        } else {
            ++good;
            out.append(doc.isObject() ? QJsonValue(doc.object()) : QJsonValue());
        }
        lineOf->append(i + 1);
    }
    if (good == 0 && !out.isEmpty()) {
        *error = wholeError;
        return {};
    }
    return out;
}

} // namespace

ObservationIntake::Batch ObservationIntake::takeLiteLlm(const QByteArray &body)
{
    Batch batch;
    QList<qint64> lineOf;
    const QList<QJsonValue> all = payloads(body, &batch.bodyError, &lineOf);
    const auto reject = [&](qsizetype i, const QString &why) {
        ++batch.rejected;
        if (batch.errors.size() < 100)
            batch.errors.append(QJsonObject{{QStringLiteral("payload"), qint64(i + 1)},
                                            {QStringLiteral("error"), why}});
    };
    for (qsizetype i = 0; i < all.size(); ++i) {
        const QJsonValue &v = all.at(i);
        if (!v.isObject()) {
            count(Source, Result::Unmapped);
            reject(i, v.isUndefined() ? QStringLiteral("not JSON (line %1)").arg(lineOf.value(i))
                                      : QStringLiteral("not a JSON object"));
            continue;
        }
        const QJsonObject payload = v.toObject();
        const QJsonValue status = payload.value(QLatin1String("status"));
        if (!status.isUndefined() && !status.isNull() &&
            status.toString() != QLatin1String("success")) {
            ++batch.failed;
            count(Source, Result::Failed);
            continue;
        }
        QString error;
        const std::optional<Observation> o = m_liteLlmMap.map(payload, &error);
        if (!o) {
            count(Source, Result::Unmapped);
            reject(i, error);
            continue;
        }
        if (take(*o, Source, &error))
            ++batch.accepted;
        else
            reject(i, error);
    }
    return batch;
}

QJsonObject ObservationIntake::Batch::toJsonObject() const
{
    if (!bodyError.isEmpty())
        return QJsonObject{{QStringLiteral("error"), bodyError}};
    return QJsonObject{{QStringLiteral("accepted"), accepted},
                       {QStringLiteral("failed"), failed},
                       {QStringLiteral("rejected"), rejected},
                       {QStringLiteral("errors"), errors}};
}
