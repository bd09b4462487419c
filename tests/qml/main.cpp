// The Qt Quick Test harness: every tst_*.qml runs against a real Session (ingest mode over
// an in-memory SQLite database) shown through fresh Services, as the app wires them.
// tst_watch_*.qml run in watch mode instead, over a SQLite file the test changes through
// the WatchedDb singleton (another connection, as the operator's workers would), with a
// gateway log the session follows (--observe) and the test appends to (GatewayLog).
#include "Services.h"
#include "session/Session.h"
#include "store/DbUrl.h"

#include <QEventLoop>
#include <QLoggingCategory>
#include <QQmlEngine>
#include <QQuickStyle>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTimer>
#include <QtQml/QQmlExtensionPlugin>
#include <QtQuickTest>

#include <memory>

Q_IMPORT_QML_PLUGIN(Stickyboard_UiPlugin)

/// The watched database's other side, for tst_watch_*.qml: runs SQL on its own connection.
class WatchedDb : public QObject {
    Q_OBJECT
public:
    explicit WatchedDb(const QString &path)
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name());
        db.setDatabaseName(path);
        if (!db.open())
            qFatal("stickyboard_qml: cannot create %s", qPrintable(path));
    }
    ~WatchedDb() override
    {
        QSqlDatabase::database(name(), false).close();
        QSqlDatabase::removeDatabase(name());
    }
    /// Returns "" or the error.
    Q_INVOKABLE QString exec(const QString &sql)
    {
        QSqlQuery q(QSqlDatabase::database(name(), false));
        return q.exec(sql) ? QString() : q.lastError().text();
    }

private:
    static QString name() { return QStringLiteral("watched-db-writer"); }
};

/// The gateway's JSON-lines log for tst_watch_*.qml: the session follows it as `--observe`
/// does; the test appends lines as a gateway would.
class GatewayLog : public QObject {
    Q_OBJECT
public:
    explicit GatewayLog(const QString &path) : m_file(path)
    {
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
            qFatal("stickyboard_qml: cannot create %s", qPrintable(path));
    }
    QString path() const { return m_file.fileName(); }
    /// Appends one line (a newline is added) and flushes it to the file.
    Q_INVOKABLE void append(const QString &line)
    {
        m_file.write(line.toUtf8() + '\n');
        m_file.flush();
    }

private:
    QFile m_file;
};

/// A loopback server nothing should ever connect to: tst_plaintext.qml puts its address in
/// `<img src=...>` ids and checks the window never fetched it.
class NetProbe : public QObject {
    Q_OBJECT
    Q_PROPERTY(int port READ port CONSTANT)
    Q_PROPERTY(int connections READ connections NOTIFY connectionsChanged)
public:
    NetProbe()
    {
        if (!m_server.listen(QHostAddress::LocalHost, 0))
            qFatal("stickyboard_qml: NetProbe cannot listen: %s",
                   qPrintable(m_server.errorString()));
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_connections;
                socket->close();
                socket->deleteLater();
            }
            Q_EMIT connectionsChanged();
        });
    }
    int port() const { return m_server.serverPort(); }
    int connections() const { return m_connections; }

Q_SIGNALS:
    void connectionsChanged();

private:
    QTcpServer m_server;
    int m_connections = 0;
};

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
        // Made here, not with Setup: Setup exists before the application, and a server
        // without an event loop would accept connections nobody counts.
        m_probe = std::make_unique<NetProbe>();
        qmlRegisterSingletonInstance("Stickyboard.Test", 1, 0, "NetProbe", m_probe.get());

        QString error;
        Session::Options options;
        std::optional<DbUrl> url;
        if (qEnvironmentVariable("STICKYBOARD_QML_MODE") == QLatin1String("watch")) {
            const QString path = m_config.filePath(QStringLiteral("watched.db"));
            m_watched = std::make_unique<WatchedDb>(path);
            m_watched->exec(QStringLiteral("CREATE TABLE jobs (id TEXT PRIMARY KEY, worker_id "
                                           "TEXT, last_backend_id TEXT)"));
            m_watched->exec(QStringLiteral("INSERT INTO jobs VALUES ('j1', 'w1', 'b1'), "
                                           "('j2', 'w2', 'b2')"));
            qmlRegisterSingletonInstance("Stickyboard.Test", 1, 0, "WatchedDb", m_watched.get());
            url = DbUrl::parse(QStringLiteral("sqlite:") + path, &error);
            options.mode = Session::Mode::Watch;
            options.watch.pollMs = 100;
            m_gatewayLog =
                std::make_unique<GatewayLog>(m_config.filePath(QStringLiteral("gateway.jsonl")));
            qmlRegisterSingletonInstance("Stickyboard.Test", 1, 0, "GatewayLog",
                                         m_gatewayLog.get());
            options.observeFiles = {m_gatewayLog->path()};
            options.staleAfterS = 3; // a test's grace: long enough to see pending before stale
            options.history = m_config.filePath(QStringLiteral("history.db"));
        } else {
            url = DbUrl::parse(QStringLiteral("sqlite::memory:"), &error);
            options.mode = Session::Mode::Ingest;
        }
        Q_ASSERT(url);
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

        m_services = std::make_unique<Services>(nullptr);
        Services::setCurrent(m_services.get());
        m_services->attach(m_session.get());
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
        Services::setCurrent(nullptr);
        m_services.reset();
        m_session.reset();
        m_watched.reset();
        m_gatewayLog.reset();
        m_probe.reset();
    }

private:
    QTemporaryDir m_config;
    std::unique_ptr<NetProbe> m_probe;
    std::unique_ptr<Session> m_session;
    std::unique_ptr<Services> m_services;
    std::unique_ptr<WatchedDb> m_watched;
    std::unique_ptr<GatewayLog> m_gatewayLog;
};

QUICK_TEST_MAIN_WITH_SETUP(stickyboard_qml, Setup)

#include "main.moc"
