// ctest-labels: observe
// --observe-map: parsing (errors name the bad part) and mapping JSON objects to
// observations: defaults for event lines and LiteLLM, missing fields, non-string values,
// unicode, the id rule, timestamps.

#include "observe/ObservationMap.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject object(const char *json)
{
    QJsonParseError e;
    const QJsonDocument d = QJsonDocument::fromJson(QByteArray(json).replace('\'', '"'), &e);
    if (e.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", json);
    return d.object();
}

} // namespace

Q_DECLARE_METATYPE(Observation)

class TestObservationMap : public QObject {
    Q_OBJECT
private slots:
    void parseErrors_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("error");
        QTest::addRow("empty") << u""_s << u"--observe-map is empty"_s;
        QTest::addRow("unknown part") << u"job=/a,backend=/b,host=/c"_s << u"unknown part 'host'"_s;
        QTest::addRow("no =") << u"job=/a,backend"_s << u"'backend' needs '=POINTER'"_s;
        QTest::addRow("twice") << u"job=/a,backend=/b,job=/c"_s << u"job is given twice"_s;
        QTest::addRow("no job") << u"backend=/b"_s << u"(missing job)"_s;
        QTest::addRow("no backend") << u"job=/a,worker=/w"_s << u"(missing backend)"_s;
        QTest::addRow("not a pointer")
            << u"job=a,backend=/b"_s << u"--observe-map: job='a' must start with '/'"_s;
        QTest::addRow("bad escape")
            << u"job=/a,backend=/b~x"_s << u"--observe-map: backend='/b~x': '~' at character 3"_s;
        QTest::addRow("case matters") << u"Job=/a,backend=/b"_s << u"unknown part 'Job'"_s;
    }
    void parseErrors()
    {
        QFETCH(QString, spec);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!ObservationMap::parse(spec, &got));
        QVERIFY2(got.contains(error), qPrintable(got));
    }

    void parseRoundTrip()
    {
        QString error;
        const auto m = ObservationMap::parse(
            u"job=/metadata/session_id,backend=/upstream_host,worker=/w,cacheKey=/k~1x,ts=/t"_s,
            &error);
        QVERIFY2(m, qPrintable(error));
        QCOMPARE(
            m->toString(),
            u"job=/metadata/session_id,backend=/upstream_host,worker=/w,cacheKey=/k~1x,ts=/t"_s);
        // A key with a comma round-trips in the fragment form.
        const auto comma = ObservationMap::parse(u"job=#/a%2Cb,backend=/%25"_s, &error);
        QVERIFY2(comma, qPrintable(error));
        QCOMPARE(comma->toString(), u"job=#/a%2Cb,backend=/%25"_s); // a plain key "%25"
        const auto back = ObservationMap::parse(comma->toString(), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->pointers(ObservationMap::Field::Job).at(0).tokens(), QStringList{u"a,b"_s});
        QCOMPARE(back->pointers(ObservationMap::Field::Backend).at(0).tokens(),
                 QStringList{u"%25"_s});
        QCOMPARE(ObservationMap::liteLlm().toString(),
                 u"job=/trace_id,backend=/model_id|/api_base,cacheKey=/cache_key,ts=/startTime"_s);
    }

    void map_data()
    {
        QTest::addColumn<QString>("spec"); // empty: LiteLLM's defaults
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<Observation>("expected");
        QTest::addColumn<QString>("error"); // non-empty: does not map, and says so

        const QString custom = u"job=/metadata/session_id,backend=/upstream/host,"
                               "worker=/metadata/worker,cacheKey=/cache/key,ts=/at"_s;
        QTest::addRow("custom, everything")
            << custom
            << QByteArray("{'metadata':{'session_id':'s1','worker':'w1'},'upstream':{'host':"
                          "'10.0.0.5:8000'},'cache':{'key':'k9'},'at':'2026-12-03T10:00:00Z'}")
            << Observation{u"s1"_s, u"w1"_s, u"10.0.0.5:8000"_s, u"k9"_s, 1796292000000}
            << QString();
        QTest::addRow("custom, optional fields absent")
            << custom << QByteArray("{'metadata':{'session_id':'s1'},'upstream':{'host':'b'}}")
            << Observation{u"s1"_s, QString(), u"b"_s, QString(), 0} << QString();
        QTest::addRow("null cache key is a miss")
            << custom
            << QByteArray("{'metadata':{'session_id':'s1'},'upstream':{'host':'b'},'cache':"
                          "{'key':null}}")
            << Observation{u"s1"_s, QString(), u"b"_s, QString(), 0} << QString();
        QTest::addRow("missing job")
            << custom << QByteArray("{'metadata':{},'upstream':{'host':'b'}}") << Observation{}
            << u"job: nothing at /metadata/session_id"_s;
        QTest::addRow("null backend")
            << custom << QByteArray("{'metadata':{'session_id':'s1'},'upstream':{'host':null}}")
            << Observation{} << u"backend: nothing at /upstream/host"_s;
        QTest::addRow("integral number as id")
            << u"job=/id,backend=/port"_s << QByteArray("{'id':42,'port':8000}")
            << Observation{u"42"_s, QString(), u"8000"_s, QString(), 0} << QString();
        QTest::addRow("fraction is no id")
            << u"job=/id,backend=/b"_s << QByteArray("{'id':4.5,'b':'x'}") << Observation{}
            << u"job at /id is a number with a fraction"_s;
        QTest::addRow("boolean is no id")
            << u"job=/id,backend=/b"_s << QByteArray("{'id':'j','b':true}") << Observation{}
            << u"backend at /b is a boolean"_s;
        QTest::addRow("object is no id")
            << u"job=/id,backend=/b"_s << QByteArray("{'id':'j','b':{'x':1}}") << Observation{}
            << u"backend at /b is an object"_s;
        QTest::addRow("array is no worker")
            << u"job=/id,backend=/b,worker=/w"_s << QByteArray("{'id':'j','b':'x','w':[1]}")
            << Observation{} << u"worker at /w is an array"_s;
        QTest::addRow("unicode ids and keys")
            << u"job=/ジョブ,backend=/後端"_s << QByteArray("{'ジョブ':'仕事-1','後端':'🐈-gpu'}")
            << Observation{u"仕事-1"_s, QString(), u"🐈-gpu"_s, QString(), 0} << QString();
        QTest::addRow("escaped pointer keys")
            << u"job=/a~1b,backend=/m~0n"_s << QByteArray("{'a/b':'j','m~n':'x'}")
            << Observation{u"j"_s, QString(), u"x"_s, QString(), 0} << QString();
        QTest::addRow("array index")
            << u"job=/ids/1,backend=/b"_s << QByteArray("{'ids':['a','b'],'b':'x'}")
            << Observation{u"b"_s, QString(), u"x"_s, QString(), 0} << QString();
        QTest::addRow("control character breaks the id rule")
            << u"job=/id,backend=/b"_s << QByteArray("{'id':'j\\u001b[31m','b':'x'}")
            << Observation{} << u"job contains control character U+001B"_s;
        QTest::addRow("over 256 bytes")
            << u"job=/id,backend=/b"_s
            << QByteArray("{'id':'j','b':'") + QByteArray(300, 'x') + "'}" << Observation{}
            << u"backend is 300 bytes long"_s;
        QTest::addRow("ts: epoch seconds with a fraction")
            << u"job=/id,backend=/b,ts=/t"_s << QByteArray("{'id':'j','b':'x','t':1796292000.25}")
            << Observation{u"j"_s, QString(), u"x"_s, QString(), 1796292000250} << QString();
        QTest::addRow("ts: seconds as a string (nginx $msec)")
            << u"job=/id,backend=/b,ts=/t"_s << QByteArray("{'id':'j','b':'x','t':'1796292000.5'}")
            << Observation{u"j"_s, QString(), u"x"_s, QString(), 1796292000500} << QString();
        QTest::addRow("ts: with an offset")
            << u"job=/id,backend=/b,ts=/t"_s
            << QByteArray("{'id':'j','b':'x','t':'2026-12-03T11:00:00+01:00'}")
            << Observation{u"j"_s, QString(), u"x"_s, QString(), 1796292000000} << QString();
        QTest::addRow("ts: garbage")
            << u"job=/id,backend=/b,ts=/t"_s << QByteArray("{'id':'j','b':'x','t':'yesterday'}")
            << Observation{} << u"ts at /t is neither ISO 8601"_s;
        QTest::addRow("litellm: model_id")
            << QString()
            << QByteArray("{'trace_id':'t1','model_id':'dep-a','api_base':'http://a',"
                          "'cache_key':'ck','startTime':1796292000}")
            << Observation{u"t1"_s, QString(), u"dep-a"_s, u"ck"_s, 1796292000000} << QString();
        QTest::addRow("litellm: api_base when model_id is null")
            << QString()
            << QByteArray("{'trace_id':'t1','model_id':null,'api_base':'http://b:4000',"
                          "'cache_key':null}")
            << Observation{u"t1"_s, QString(), u"http://b:4000"_s, QString(), 0} << QString();
        QTest::addRow("litellm: neither")
            << QString() << QByteArray("{'trace_id':'t1','model_id':''}") << Observation{}
            << u"backend: nothing at /model_id or /api_base"_s;
    }
    void map()
    {
        QFETCH(QString, spec);
        QFETCH(QByteArray, json);
        QFETCH(Observation, expected);
        QFETCH(QString, error);
        QString why;
        const auto m = spec.isEmpty() ? std::optional(ObservationMap::liteLlm())
                                      : ObservationMap::parse(spec, &why);
        QVERIFY2(m, qPrintable(why));
        const std::optional<Observation> o = m->map(object(json.constData()), &why);
        if (!error.isEmpty()) {
            QVERIFY(!o);
            QVERIFY2(why.contains(error), qPrintable(why));
            return;
        }
        QVERIFY2(o, qPrintable(why));
        QCOMPARE(o->job, expected.job);
        QCOMPARE(o->worker, expected.worker);
        QCOMPARE(o->backend, expected.backend);
        QCOMPARE(o->cacheKey.isNull(), expected.cacheKey.isNull());
        QCOMPARE(o->cacheKey, expected.cacheKey);
        QCOMPARE(o->tsMs, expected.tsMs);
    }
};

QTEST_GUILESS_MAIN(TestObservationMap)
#include "tst_observationmap.moc"
