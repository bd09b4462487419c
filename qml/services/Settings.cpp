#include "Settings.h"

#include "Services.h"

#include <QSettings>

Settings::Settings(QObject *parent) : QObject(parent) {}

Settings *Settings::create(QQmlEngine *, QJSEngine *)
{
    return Services::forQml(Services::current()->settings());
}

QVariant Settings::value(const QString &key, const QVariant &fallback) const
{
    return QSettings().value(QStringLiteral("ui/") + key, fallback);
}

void Settings::setValue(const QString &key, const QVariant &value)
{
    QSettings().setValue(QStringLiteral("ui/") + key, value);
}
