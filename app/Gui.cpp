// The windowed mode: loads the QML module and, for --screenshot, saves the window.
#include "CommandLine.h"
#include "Dashboard.h"
#include "Session.h"
#include "models/JobListModel.h"

#include <QGuiApplication>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTextStream>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Stickyboard_UiPlugin)

int runGui(QGuiApplication &app, Session &session, const CommandLine &cl)
{
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/stickyboard/icons/stickyboard.svg")));
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    Dashboard dashboard(nullptr);
    Dashboard::setInstance(&dashboard);
    QObject::connect(&session, &Session::ready, &dashboard, [&] {
        dashboard.attach(session.tracker(), session.feed(), session.jobs(), session.modeName(),
                         session.databaseText());
    });

    QQmlApplicationEngine engine;
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(2); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Stickyboard/Ui/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 2;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());

    if (cl.quitAfterS > 0) {
        QTimer::singleShot(int(cl.quitAfterS * 1000), &app, [&, window] {
            if (!cl.screenshot.isEmpty()) {
                const QImage image = window ? window->grabWindow() : QImage();
                if (image.isNull() || !image.save(cl.screenshot)) {
                    QTextStream(stderr) << "stickyboard: could not save the screenshot to "
                                        << cl.screenshot << "\n";
                    QCoreApplication::exit(2);
                    return;
                }
            }
            session.shutdown();
        });
    }
    session.start();
    return app.exec();
}
