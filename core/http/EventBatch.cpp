#include "http/EventBatch.h"

EventBatch EventBatch::apply(const QByteArray &body, const Ingest &ingest)
{
    EventBatch batch;
    qint64 lineNumber = 0;
    for (qsizetype start = 0; start < body.size();) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        batch.add(QByteArrayView(body).sliced(start, end - start), ++lineNumber, ingest);
        start = end + 1;
    }
    return batch;
}

void EventBatch::add(QByteArrayView line, qint64 number, const Ingest &ingest)
{
    const QByteArray trimmed = line.trimmed().toByteArray();
    if (trimmed.isEmpty())
        return;
    QString error;
    if (ingest(trimmed, &error))
        ++accepted;
    else
        reject(number, error);
}

void EventBatch::reject(qint64 number, const QString &error)
{
    if (++rejected <= maxListedErrors)
        errors.append(
            QJsonObject{{QStringLiteral("line"), number}, {QStringLiteral("error"), error}});
}

QJsonObject EventBatch::toJsonObject() const
{
    return {{QStringLiteral("accepted"), accepted},
            {QStringLiteral("rejected"), rejected},
            {QStringLiteral("errors"), errors}};
}
