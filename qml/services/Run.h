#pragma once

#include <QObject>
#include <QPointer>

#include "session/Session.h"
#include <QtQml/qqmlregistration.h>

class ChangeFeed;
class QJSEngine;
class QQmlEngine;
class TrackerTable;

/*!
 * What this run is: its mode and database (never the password), and whether the session is
 * ready. Lines typed or pasted in the window are applied through it as a source would.
 */
class Run : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    // Not default-constructible on purpose: Qt 6.4 prefers a default constructor over
    // create() for singletons, and QML must get the instance the app wired (Services).
    explicit Run(QObject *parent);
    static Run *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    void attach(Session *session);
    /// C++ side, for items that draw (PetField) and for tests.
    Session *session() const { return m_session; }
    TrackerTable *tracker() const;
    ChangeFeed *feed() const;

    /// True once the session is attached (the database is open, the source started).
    Q_PROPERTY(bool ready READ isReady NOTIFY changed)
    bool isReady() const { return m_session; }
    /// "simulate" | "replay" | "ingest" | "watch" (as in the report).
    Q_PROPERTY(QString mode READ mode NOTIFY changed)
    QString mode() const;
    /// For people: "simulation" | "replay" | "ingest" | "watch".
    Q_PROPERTY(QString modeLabel READ modeLabel NOTIFY changed)
    QString modeLabel() const;
    /// The database URL without its password.
    Q_PROPERTY(QString database READ database NOTIFY changed)
    QString database() const;

    /// Applies one JSONL event line as a source would; returns "" or the error message.
    Q_INVOKABLE QString ingest(const QString &jsonLine);

    /// The session was attached or replaced.
    Q_SIGNAL void changed();

private:
    QPointer<Session> m_session;
};
