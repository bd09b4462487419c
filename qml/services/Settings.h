#pragma once

#include <QObject>
#include <QVariant>
#include <QtQml/qqmlregistration.h>

class QJSEngine;
class QQmlEngine;

/*!
 * Options the user picks in the window and finds again next time (view, theme, side panel,
 * tab), kept with QSettings under "ui/".
 */
class Settings : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

public:
    explicit Settings(QObject *parent);
    static Settings *create(QQmlEngine *qmlEngine, QJSEngine *jsEngine);

    /// The remembered value of `key`, or `fallback` when there is none.
    Q_INVOKABLE QVariant value(const QString &key, const QVariant &fallback = {}) const;
    Q_INVOKABLE void setValue(const QString &key, const QVariant &value);
};
