#include "http/EventBatch.h"

EventBatch EventBatch::apply(const QByteArray &body, const Ingest &ingest)
{
    EventBatch batch;
    qint64 lineNumber = 0;
    for (qsizetype start = 0; start < body.size();) {
        qsizetype end = body.indexOf('\n', start);
        if (end < 0)
            end = body.size();
        ++lineNumber;
        const QByteArray line = body.sliced(start, end - start).trimmed();
        start = end + 1;
        if (line.isEmpty())
            continue;
        QString error;
        if (ingest(line, &error)) {
            ++batch.accepted;
            continue;
        }
        if (++batch.rejected <= maxListedErrors)
            batch.errors.append(QJsonObject{{QStringLiteral("line"), lineNumber},
                                            {QStringLiteral("error"), error}});
    }
    return batch;
}

QJsonObject EventBatch::toJsonObject() const
{
    return {{QStringLiteral("accepted"), accepted},
            {QStringLiteral("rejected"), rejected},
            {QStringLiteral("errors"), errors}};
}
