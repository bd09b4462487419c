// The windowed mode: loads the QML module and, for --screenshot, saves the window.
#include "CommandLine.h"
#include "Services.h"
#include "session/LongTimer.h"
#include "session/Session.h"

#include <QGuiApplication>
#include <QImage>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSettings>
#include <QTextStream>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>

Q_IMPORT_QML_PLUGIN(Stickyboard_UiPlugin)

namespace {

// Where the window was, so it comes back there; screenshots always use the default size.
void restoreGeometry(QQuickWindow *window)
{
    if (!window)
        return;
    QSettings settings;
    const QRect rect = settings.value(QStringLiteral("window/geometry")).toRect();
    if (rect.isValid() && rect.width() >= 640 && rect.height() >= 400)
        window->setGeometry(rect);
    if (settings.value(QStringLiteral("window/maximized"), false).toBool())
        window->showMaximized();
}

void saveGeometry(QQuickWindow *window)
{
    if (!window)
        return;
    QSettings settings;
    const bool maximized = window->visibility() == QWindow::Maximized;
    settings.setValue(QStringLiteral("window/maximized"), maximized);
    if (!maximized)
        settings.setValue(QStringLiteral("window/geometry"), window->geometry());
}

} // namespace

int runGui(QGuiApplication &app, Session &session, const CommandLine &cl)
{
    QGuiApplication::setWindowIcon(QIcon(QStringLiteral(":/stickyboard/icons/stickyboard.svg")));
    QQuickStyle::setStyle(QStringLiteral("Fusion"));

    Services services(nullptr);
    Services::setCurrent(&services);
    QObject::connect(&session, &Session::ready, &services, [&] { services.attach(&session); });

    QQmlApplicationEngine engine;
    // The module's qmldir is in the resources at :/Stickyboard/Ui (Qt 6.4's prefix): without
    // this import path `import Stickyboard.Ui` would see only its C++ types, not the QML
    // files in the module's part folders.
    engine.addImportPath(QStringLiteral("qrc:/"));
    QObject::connect(
        &engine, &QQmlApplicationEngine::objectCreationFailed, &app,
        [] { QCoreApplication::exit(2); }, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/Stickyboard/Ui/Main.qml")));
    if (engine.rootObjects().isEmpty())
        return 2;
    auto *window = qobject_cast<QQuickWindow *>(engine.rootObjects().constFirst());
    if (cl.screenshot.isEmpty()) {
        restoreGeometry(window);
        QObject::connect(&app, &QCoreApplication::aboutToQuit, window,
                         [window] { saveGeometry(window); });
    }

    // Closing the window ends the run like every other trigger: the window goes, the
    // process stays until every write settled and the report is written (Session).
    QGuiApplication::setQuitOnLastWindowClosed(false);
    QObject::connect(&app, &QGuiApplication::lastWindowClosed, &session, &Session::shutdown);
    auto *quitTimer = new LongTimer(&app);
    if (cl.quitAfterS > 0) {
        QObject::connect(quitTimer, &LongTimer::timeout, &app, [&, window] {
            if (!cl.screenshot.isEmpty()) {
                const QImage image = window ? window->grabWindow() : QImage();
                if (image.isNull() || !image.save(cl.screenshot)) {
                    QTextStream(stderr) << "stickyboard: could not save the screenshot to "
                                        << cl.screenshot << "\n";
                    QCoreApplication::exit(2);
                    return;
                }
            }
            // As a user closes it, so --quit-after runs the window-closed path.
            if (window && window->isVisible())
                window->close();
            else
                session.shutdown();
        });
        quitTimer->start(cl.quitAfterS);
    }
    // --duration ends the run in the window too (a simulation after S simulated seconds, a
    // watch after S seconds: a window that stopped watching would show stale rows as if they
    // were live). A finished replay stays on screen: its data is final.
    if (session.mode() != Session::Mode::Replay)
        QObject::connect(&session, &Session::sourceFinished, &session, &Session::shutdown);
    session.start();
    return app.exec();
}
