#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

/*!
 * An RFC 6901 JSON Pointer: `/metadata/session_id`, `/a~1b` (key "a/b"), `/m~0n` (key
 * "m~n"), `/items/0` (an array index), `""` (the whole document), `/` (the key ""). The URI
 * fragment form `#/a%2Cb` is accepted too and percent-decoded, which is how a key holding a
 * comma is written inside `--observe-map`.
 */
class JsonPointer {
public:
    /// Nullopt with `error` for text that is no pointer ("must start with '/'", "~2 at
    /// character 4 is no escape: use ~0 for '~' and ~1 for '/'").
    static std::optional<JsonPointer> parse(QStringView text, QString *error);

    /// The value it points to; Undefined when a step is missing (a key that is not
    /// there, an index past the end or not written as one, a step into a string).
    QJsonValue evaluate(const QJsonValue &document) const;
    /// Convenience for the usual case, an object at the top.
    QJsonValue evaluate(const QJsonObject &document) const;

    /// The reference tokens, unescaped.
    const QStringList &tokens() const { return m_tokens; }
    /// The pointer in its plain (not fragment) form, escaped again.
    QString toString() const;
    /// The URI fragment form (`#/a%2Cb`): what `--observe-map` needs for a key with a comma.
    QString toFragment() const;

    bool operator==(const JsonPointer &other) const = default;

private:
    QJsonValue evaluateFrom(QJsonValue v, qsizetype first) const;

    QStringList m_tokens;
};
