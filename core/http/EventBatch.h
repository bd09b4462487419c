#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>

/*!
 * One `POST /events` body applied: JSONL event lines (design.md), each non-blank line handed
 * to `ingest` in order, as they stream in. A bad line (one `ingest` refuses, including ids
 * past --max-jobs/--max-backends) is counted and listed with its number, and never stops the
 * lines after it.
 */
struct EventBatch {
    static constexpr int maxListedErrors = 100; ///< a huge bad body gets a bounded answer

    qint64 accepted = 0;
    qint64 rejected = 0; ///< all of them, listed or not
    QJsonArray errors;   ///< the first maxListedErrors: {"line":L,"error":"…"}

    using Ingest = std::function<bool(const QByteArray &line, QString *error)>;
    /// Lines count from 1, blank ones included, as an editor shows them; "\r\n" is accepted.
    static EventBatch apply(const QByteArray &body, const Ingest &ingest);

    /// One line (without its newline); blank ones only count.
    void add(QByteArrayView line, qint64 number, const Ingest &ingest);
    /// A line refused before it reached `ingest` (too long, the session is gone).
    void reject(qint64 number, const QString &error);

    /// `{"accepted":N,"rejected":M,"errors":[…]}`
    QJsonObject toJsonObject() const;
};
