// The Qt Quick Test harness: every tst_*.qml runs against a real Session (ingest mode over
// an in-memory SQLite database) shown through a fresh Dashboard, as the app wires them.
#include "Dashboard.h"
#include "session/Session.h"
#include "store/DbUrl.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Stickyboard_UiPlugin)

class Setup : public QObject {
    Q_OBJECT
public:
    Setup()
    {
        // Remembered options (theme, view mode, …) must not leak between runs or into the
        // user's own settings.
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
        QStandardPaths::setTestModeEnabled(true);
        // Every persisted write logs at info level: keep test output to what went wrong.
        QLoggingCategory::setFilterRules(QStringLiteral("stickyboard.*.info=false"));
        QCoreApplication::setOrganizationName(QStringLiteral("Stickyboard"));
        QCoreApplication::setApplicationName(QStringLiteral("stickyboard-qml-tests"));
        QQuickStyle::setStyle(QStringLiteral("Fusion"));
    }

public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral(STICKYBOARD_QML_IMPORTS));
        if (m_session)
            return; // one session per process, whatever the number of test files

        QString error;
        const auto url = DbUrl::parse(QStringLiteral("sqlite::memory:"), &error);
        Q_ASSERT(url);
        Session::Options options;
        options.mode = Session::Mode::Ingest;
        m_session = std::make_unique<Session>(options, *url);

        QEventLoop loop;
        bool ok = false;
        connect(m_session.get(), &Session::ready, &loop, [&] {
            ok = true;
            loop.quit();
        });
        connect(m_session.get(), &Session::failed, &loop, [&](const QString &message, int) {
            qWarning("stickyboard_qml: the session did not start: %s", qPrintable(message));
            loop.quit();
        });
        QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
        m_session->start();
        loop.exec();
        if (!ok)
            qFatal("stickyboard_qml: no session, no tests");

        m_dashboard = std::make_unique<Dashboard>(nullptr);
        Dashboard::setInstance(m_dashboard.get());
        m_dashboard->attach(m_session.get());
    }

    void cleanupTestCase()
    {
        // Let every write settle (as the app does at exit) before the session goes away.
        if (m_session) {
            QEventLoop loop;
            bool done = false;
            auto stop = [&] {
                done = true;
                loop.quit();
            };
            connect(m_session.get(), &Session::finished, &loop, stop);
            connect(m_session.get(), &Session::failed, &loop, stop);
            QTimer::singleShot(10'000, &loop, &QEventLoop::quit);
            m_session->shutdown(); // may finish at once
            if (!done)
                loop.exec();
        }
        Dashboard::setInstance(nullptr);
        m_dashboard.reset();
        m_session.reset();
    }

private:
    QTemporaryDir m_config;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Dashboard> m_dashboard;
};

QUICK_TEST_MAIN_WITH_SETUP(stickyboard_qml, Setup)

#include "main.moc"
