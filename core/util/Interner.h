#pragma once

#include <QHash>
#include <QList>
#include <QString>

/// Maps ids (backends, workers) to dense indices and back, so per-job state stays small.
class Interner {
public:
    static constexpr quint32 None = 0xffffffffu;

    quint32 intern(const QString &text)
    {
        const auto it = m_index.constFind(text);
        if (it != m_index.constEnd())
            return *it;
        const auto id = quint32(m_strings.size());
        m_strings.append(text);
        m_index.insert(text, id);
        return id;
    }
    quint32 find(const QString &text) const { return m_index.value(text, None); }
    /// The text of an id; a null QString for None.
    QString text(quint32 id) const { return id == None ? QString() : m_strings.at(id); }
    qsizetype size() const { return m_strings.size(); }
    const QList<QString> &all() const { return m_strings; }

private:
    QHash<QString, quint32> m_index;
    QList<QString> m_strings;
};
