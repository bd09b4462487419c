// --max-jobs / --max-backends (issue 11): past the limits, events naming new ids are
// refused, counted and reported (per line over HTTP), never applied; known ids still work.
#include "FakePersistTarget.h"
#include "http/HttpApi.h"
#include "http/ListenAddress.h"
#include "session/Session.h"
#include "sources/EventDispatcher.h"
#include "store/DbUrl.h"
#include "tracker/TrackerTable.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

class TestLimits : public QObject {
    Q_OBJECT

    std::unique_ptr<Session> m_session;

    void startSession(qint64 maxJobs, qint64 maxBackends)
    {
        QString error;
        const auto url = DbUrl::parse(u"sqlite::memory:"_s, &error);
        QVERIFY2(url, qPrintable(error));
        Session::Options options;
        options.mode = Session::Mode::Ingest;
        options.maxJobs = maxJobs;
        options.maxBackends = maxBackends;
        m_session = std::make_unique<Session>(options, *url);
        QSignalSpy ready(m_session.get(), &Session::ready);
        QSignalSpy failed(m_session.get(), &Session::failed);
        m_session->start();
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() || !failed.isEmpty(), 30'000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
    }

    static QByteArray event(const char *job, const char *backend)
    {
        return QByteArray(R"({"job":")") + job + R"(","worker":"w","backend":")" + backend + "\"}";
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLoggingCategory::setFilterRules(u"stickyboard.*.info=false"_s);
    }
    void cleanup() { m_session.reset(); }

    void trackerAdmits()
    {
        FakePersistTarget target;
        TrackerTable::Options options;
        options.maxJobs = 2;
        options.maxBackends = 1;
        TrackerTable tracker(&target, options);
        QString error;
        QVERIFY(tracker.admits(u"j1"_s, u"b1"_s, &error));
        tracker.onEvent(u"j1"_s, u"w"_s, u"b1"_s);
        QVERIFY(tracker.admits(u"j2"_s, u"b1"_s, &error));
        QVERIFY(!tracker.admits(u"j2"_s, u"b2"_s, &error));
        QVERIFY2(error.contains(u"new backend 'b2' refused (--max-backends 1)"), qPrintable(error));
        tracker.onEvent(u"j2"_s, u"w"_s, u"b1"_s);
        QVERIFY(!tracker.admits(u"j3"_s, u"b1"_s, &error));
        QVERIFY2(error.contains(u"job limit reached: new job 'j3' refused (--max-jobs 2)"),
                 qPrintable(error));
        QVERIFY(tracker.admits(u"j1"_s, u"b1"_s, &error)); // known ids always pass
    }

    void ingestRefusesNewIdsPastTheLimits()
    {
        startSession(3, 2);
        QString error;
        QVERIFY(m_session->ingest(event("j1", "b1"), &error));
        QVERIFY(m_session->ingest(event("j2", "b1"), &error));
        QVERIFY(m_session->ingest(event("j3", "b2"), &error));
        QVERIFY(!m_session->ingest(event("j4", "b1"), &error));
        QVERIFY2(error.contains(u"--max-jobs 3"), qPrintable(error));
        QVERIFY(!m_session->ingest(event("j1", "b3"), &error));
        QVERIFY2(error.contains(u"--max-backends 2"), qPrintable(error));
        QVERIFY(
            !m_session->ingest(R"({"type":"backend","backend":"b9","state":"offline"})", &error));
        QVERIFY2(error.contains(u"--max-backends 2"), qPrintable(error));
        QVERIFY(m_session->ingest(event("j2", "b2"), &error)); // known ids: fine
        QCOMPARE(m_session->badLines(), 3);
        QCOMPARE(m_session->tracker()->jobCount(), 3);
        QCOMPARE(m_session->tracker()->backends().size(), 2);
        QCOMPARE(m_session->dispatcher()->refusedLines(), 3u);
    }

    void httpReportsEachRefusedLine()
    {
        startSession(3, 2);
        HttpApi::Options options;
        options.listen = *ListenAddress::parse(u"127.0.0.1:0"_s, nullptr);
        HttpApi api(m_session.get());
        QString error;
        QVERIFY2(api.start(options, &error), qPrintable(error));

        // 7 MiB of new ids in the issue; 200 here: 3 fit, 197 are refused by line number.
        QByteArray body;
        for (int i = 1; i <= 200; ++i)
            body += event(QByteArray("job-" + QByteArray::number(i)).constData(), "b1") + '\n';
        QNetworkAccessManager nam;
        QNetworkRequest request(QUrl(api.url() + u"/events"_s));
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/x-ndjson");
        std::unique_ptr<QNetworkReply> reply(nam.post(request, body));
        QVERIFY(QTest::qWaitFor([&] { return reply->isFinished(); }, 30'000));
        const QJsonObject answer = QJsonDocument::fromJson(reply->readAll()).object();
        QCOMPARE(answer.value(u"accepted"_s).toInt(), 3);
        QCOMPARE(answer.value(u"rejected"_s).toInt(), 197);
        const QJsonObject first = answer.value(u"errors"_s).toArray().first().toObject();
        QCOMPARE(first.value(u"line"_s).toInt(), 4);
        QVERIFY2(first.value(u"error"_s).toString().contains(u"--max-jobs 3"),
                 qPrintable(first.value(u"error"_s).toString()));
        QCOMPARE(m_session->tracker()->jobCount(), 3);
        QCOMPARE(m_session->badLines(), 197);
    }
};

QTEST_GUILESS_MAIN(TestLimits)
#include "tst_limits.moc"
