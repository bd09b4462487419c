#pragma once

#include <QException>
#include <QString>

/// A database failure that a person can act on. Travels through QFuture with its message.
class StoreError : public QException {
public:
    explicit StoreError(QString message) : m_message(std::move(message)), m_utf8(m_message.toUtf8())
    {}
    void raise() const override { throw *this; }
    StoreError *clone() const override { return new StoreError(*this); }
    const char *what() const noexcept override { return m_utf8.constData(); }
    const QString &message() const { return m_message; }

private:
    QString m_message;
    QByteArray m_utf8;
};
