// ctest-labels: observe watch
// Watch mode's observations from each input: LiteLLM's StandardLoggingPayload in all three
// log_formats (with failures and cache hits), event lines (fault lines refused), and
// --observe files through a mapping, bad lines counted and never stopping the file.

#include "observe/ObservationIntake.h"
#include "tracker/TrackerTable.h"
#include "watch/ReadOnlyTarget.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// A StandardLoggingPayload as LiteLLM's Generic API callback sends it (documented
/// fields; the bulky ones abbreviated).
QJsonObject payload(const QString &trace, const QJsonValue &modelId, const QString &apiBase,
                    const QJsonValue &cacheKey, const QString &status = u"success"_s)
{
    return QJsonObject{
        {u"id"_s, u"chatcmpl-"_s + trace},
        {u"trace_id"_s, trace},
        {u"call_type"_s, u"acompletion"_s},
        {u"status"_s, status},
        {u"startTime"_s, 1796292000.5},
        {u"endTime"_s, 1796292001.25},
        {u"model"_s, u"llama-3-70b"_s},
        {u"model_id"_s, modelId},
        {u"model_group"_s, u"llama-3-70b"_s},
        {u"api_base"_s, apiBase},
        {u"cache_hit"_s, !cacheKey.isNull()},
        {u"cache_key"_s, cacheKey},
        {u"metadata"_s, QJsonObject{{u"user_api_key_alias"_s, u"worker-pool"_s}}},
        {u"messages"_s, QJsonArray{QJsonObject{{u"role"_s, u"user"_s}, {u"content"_s, u"hi"_s}}}},
        {u"response"_s, QJsonObject{{u"choices"_s, QJsonArray{}}}},
        {u"total_tokens"_s, 12},
    };
}

QList<QJsonObject> fleet()
{
    return {payload(u"t1"_s, u"dep-a"_s, u"http://a:8000"_s, QJsonValue::Null),
            payload(u"t2"_s, QJsonValue::Null, u"http://b:8000"_s, u"ck-2"_s), // cache hit
            payload(u"t3"_s, u"dep-c"_s, u"http://c:8000"_s, QJsonValue::Null, u"failure"_s),
            payload(u"t4"_s, u"dep-a"_s, u"http://a:8000"_s, u"ck-4"_s)};
}

struct Rig {
    ReadOnlyTarget target;
    TrackerTable tracker{&target};
    ObservationIntake intake{&tracker};
    Rig()
    {
        TrackerTable::Options o = tracker.options();
        o.staleAfterMs = 10'000;
        tracker.setOptions(o);
    }
    QString observed(const QString &job) const
    {
        const quint32 i = tracker.findJob(job);
        return i == TrackerTable::None ? u"(unknown)"_s
                                       : tracker.backendText(tracker.state(i).observed);
    }
    quint64 tally(const QString &source, ObservationIntake::Result result) const
    {
        for (const ObservationIntake::Tally &t : intake.tallies()) {
            if (t.source == source && t.result == result)
                return t.count;
        }
        return 0;
    }
};

} // namespace

class TestObservationIntake : public QObject {
    Q_OBJECT
private slots:
    void liteLlmFormats_data()
    {
        QTest::addColumn<QByteArray>("body");
        QJsonArray array;
        QByteArray ndjson;
        for (const QJsonObject &p : fleet()) {
            array.append(p);
            ndjson += QJsonDocument(p).toJson(QJsonDocument::Compact) + '\n';
        }
        QTest::addRow("json_array (default)")
            << QJsonDocument(array).toJson(QJsonDocument::Compact);
        QTest::addRow("json_array, pretty") << QJsonDocument(array).toJson(QJsonDocument::Indented);
        QTest::addRow("ndjson") << ndjson;
    }
    void liteLlmFormats()
    {
        QFETCH(QByteArray, body);
        Rig r;
        r.tracker.addJob(u"t1"_s, {}, u"dep-a"_s);
        const ObservationIntake::Batch b = r.intake.takeLiteLlm(body);
        QVERIFY2(b.bodyError.isEmpty(), qPrintable(b.bodyError));
        QCOMPARE(b.accepted, 3);
        QCOMPARE(b.failed, 1);
        QCOMPARE(b.rejected, 0);
        QCOMPARE(r.observed(u"t1"_s), u"dep-a"_s);
        QCOMPARE(r.observed(u"t2"_s), u"http://b:8000"_s); // no model_id: api_base
        QCOMPARE(r.observed(u"t3"_s), u"(unknown)"_s);     // a failed call moves nothing
        QCOMPARE(r.observed(u"t4"_s), u"dep-a"_s);
        QCOMPARE(r.tracker.state(r.tracker.findJob(u"t2"_s)).cacheKey, u"ck-2"_s);
        QVERIFY(r.tracker.state(r.tracker.findJob(u"t1"_s)).cacheKey.isNull()); // a miss
        QCOMPARE(r.tracker.state(r.tracker.findJob(u"t1"_s)).observedAtMs, 1796292000500);
        QCOMPARE(r.tally(u"litellm"_s, ObservationIntake::Result::Accepted), 3u);
        QCOMPARE(r.tally(u"litellm"_s, ObservationIntake::Result::Failed), 1u);
        QCOMPARE(r.tracker.counters().attempted, 0u); // nothing is ever written
        // t1 is in step with the table; the others are pending (their table rows are unset).
        QCOMPARE(r.tracker.staleness().since(r.tracker.findJob(u"t1"_s)), 0);
        QVERIFY(r.tracker.staleness().since(r.tracker.findJob(u"t2"_s)) > 0);
    }

    void liteLlmSingleObject()
    {
        Rig r;
        const QByteArray body = QJsonDocument(fleet().at(0)).toJson(QJsonDocument::Indented);
        const ObservationIntake::Batch b = r.intake.takeLiteLlm(body);
        QCOMPARE(b.accepted, 1);
        QCOMPARE(r.observed(u"t1"_s), u"dep-a"_s);
    }

    void liteLlmBadPayloads()
    {
        Rig r;
        QJsonObject noTrace = fleet().at(0);
        noTrace.remove(u"trace_id"_s);
        const QByteArray body =
            QJsonDocument(QJsonArray{noTrace, 42, fleet().at(3)}).toJson(QJsonDocument::Compact);
        const ObservationIntake::Batch b = r.intake.takeLiteLlm(body);
        QCOMPARE(b.accepted, 1);
        QCOMPARE(b.rejected, 2);
        QCOMPARE(b.errors.at(0).toObject().value(u"payload"_s).toInt(), 1);
        QCOMPARE(b.errors.at(0).toObject().value(u"error"_s).toString(),
                 u"job: nothing at /trace_id"_s);
        QCOMPARE(b.errors.at(1).toObject().value(u"error"_s).toString(), u"not a JSON object"_s);
        QCOMPARE(r.intake.badLines(), 2);
        const ObservationIntake::Batch garbage = r.intake.takeLiteLlm("this is no JSON");
        QVERIFY(garbage.bodyError.startsWith(u"the body is no JSON array, object or NDJSON"_s));
    }

    void liteLlmWithAMap()
    {
        Rig r;
        r.intake.setLiteLlmMap(*ObservationMap::parse(
            u"job=/metadata/user_api_key_alias,backend=/api_base"_s, nullptr));
        r.intake.takeLiteLlm(QJsonDocument(fleet().at(0)).toJson());
        QCOMPARE(r.observed(u"worker-pool"_s), u"http://a:8000"_s);
    }

    void eventLines()
    {
        Rig r;
        r.tracker.addJob(u"j1"_s, u"w1"_s, u"b1"_s);
        QString error;
        bool conflict = false;
        QVERIFY(r.intake.takeEventLine(
            R"({"job":"j1","worker":"w1","backend":"b2","cacheKey":"k"})", &error, &conflict));
        QCOMPARE(r.observed(u"j1"_s), u"b2"_s);
        QCOMPARE(r.tracker.preferredBackend(r.tracker.findJob(u"j1"_s)), u"b1"_s);
        QVERIFY(!conflict);
        QVERIFY(
            !r.intake.takeEventLine(R"({"type":"fault","spec":"fail-next=2"})", &error, &conflict));
        QVERIFY(conflict);
        QVERIFY2(error.startsWith(u"fault lines are refused in watch mode"_s), qPrintable(error));
        conflict = false;
        QVERIFY(!r.intake.takeEventLine(R"({"type":"backend","backend":"b2","state":"offline"})",
                                        &error, &conflict));
        QVERIFY(conflict);
        QVERIFY2(error.startsWith(u"backend lines are refused in watch mode"_s), qPrintable(error));
        QVERIFY(!r.intake.takeEventLine(R"({"job":"j1","worker":"w1"})", &error, nullptr));
        QCOMPARE(error, u"missing backend"_s);
        QCOMPARE(r.tally(u"http"_s, ObservationIntake::Result::Accepted), 1u);
        QCOMPARE(r.tally(u"http"_s, ObservationIntake::Result::Refused), 2u);
        QCOMPARE(r.tally(u"http"_s, ObservationIntake::Result::Unmapped), 1u);
    }

    void limitsRefuse()
    {
        Rig r;
        TrackerTable::Options o = r.tracker.options();
        o.maxJobs = 1;
        r.tracker.setOptions(o);
        QString error;
        QVERIFY(r.intake.take({u"a"_s, {}, u"b"_s, {}, 0}, u"http"_s, &error));
        QVERIFY(!r.intake.take({u"c"_s, {}, u"b"_s, {}, 0}, u"http"_s, &error));
        QVERIFY2(error.contains(u"--max-jobs"_s), qPrintable(error));
    }

    void filesWithAMap()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"envoy.log"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"session":"s1","upstream_host":"10.0.0.1:80"})"
                    "\n"
                    "not json\n"
                    R"({"session":"s2"})"
                    "\n"
                    "\n"
                    R"({"session":"s3","upstream_host":"10.0.0.3:80"})"
                    "\n");
        }
        Rig r;
        r.intake.addFile(
            path, *ObservationMap::parse(u"job=/session,backend=/upstream_host"_s, nullptr), true);
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"envoy.log:2: bad line: not JSON"_s));
        QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(u"envoy.log:3: bad line: backend: nothing at /upstream_host"_s));
        QString error;
        QVERIFY(r.intake.start(&error));
        QTRY_COMPARE(r.observed(u"s3"_s), u"10.0.0.3:80"_s); // after the bad lines
        QCOMPARE(r.observed(u"s1"_s), u"10.0.0.1:80"_s);
        QCOMPARE(r.intake.badLines(), 2);
        QCOMPARE(r.tally(u"file"_s, ObservationIntake::Result::Accepted), 2u);
        r.intake.stop();
        QVERIFY(!r.intake.take({u"x"_s, {}, u"b"_s, {}, 0}, u"http"_s, &error));
    }
};

QTEST_GUILESS_MAIN(TestObservationIntake)
#include "tst_observationintake.moc"
