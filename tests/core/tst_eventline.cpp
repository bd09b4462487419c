#include "sources/EventLine.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

FaultSpec spec(const QString &text)
{
    QString error;
    const std::optional<FaultSpec> s = FaultSpec::parse(text, &error);
    if (!s)
        qFatal("bad spec in test: %s", qPrintable(error));
    return *s;
}

EventLine withTs(EventLine l, const QString &ts)
{
    l.ts = ts;
    l.time = QDateTime::fromString(ts, Qt::ISODateWithMs);
    return l;
}

} // namespace

class TestEventLine : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesGoodLines_data();
    void parsesGoodLines();
    void rejectsBadLines_data();
    void rejectsBadLines();
    void longestLineIsAccepted();
    void roundTripsAwkwardIds_data();
    void roundTripsAwkwardIds();
    void serializesCompactly();
    void missAndEmptyKeyDiffer();
};

// Defined out of the class: moc (Qt 6.4) mis-reads raw strings with an odd number of
// quotes, and a class it cannot read gets no meta-object.
void TestEventLine::parsesGoodLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<EventLine>("expected");

    const EventLine j1 = EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s, u"k9"_s);
    const EventLine miss = EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s);
    QTest::addRow("event")
        << R"({"type":"event","job":"j1","worker":"w1","backend":"b2","cacheKey":"k9"})"_ba << j1;
    QTest::addRow("type defaults to event")
        << R"({"job":"j1","worker":"w1","backend":"b2","cacheKey":"k9"})"_ba << j1;
    QTest::addRow("null type is event")
        << R"({"type":null,"job":"j1","worker":"w1","backend":"b2","cacheKey":"k9"})"_ba << j1;
    QTest::addRow("cacheKey null")
        << R"({"job":"j1","worker":"w1","backend":"b2","cacheKey":null})"_ba << miss;
    QTest::addRow("cacheKey absent") << R"({"job":"j1","worker":"w1","backend":"b2"})"_ba << miss;
    QTest::addRow("empty cacheKey is a key")
        << R"({"job":"j1","worker":"w1","backend":"b2","cacheKey":""})"_ba
        << EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s, u""_s);
    QTest::addRow("unknown keys ignored")
        << R"({"job":"j1","worker":"w1","backend":"b2","cacheKey":"k9","extra":[1,2]})"_ba << j1;
    QTest::addRow("CRLF and spaces")
        << "  {\"job\":\"j1\", \"worker\":\"w1\", \"backend\":\"b2\", \"cacheKey\":\"k9\"} \r\n"_ba
        << j1;
    QTest::addRow("ts kept")
        << R"({"job":"j1","worker":"w1","backend":"b2","ts":"2024-05-01T12:00:00.250Z"})"_ba
        << withTs(miss, u"2024-05-01T12:00:00.250Z"_s);
    QTest::addRow("ts with offset")
        << R"({"job":"j1","worker":"w1","backend":"b2","ts":"2024-05-01T14:00:00+02:00"})"_ba
        << withTs(miss, u"2024-05-01T14:00:00+02:00"_s);
    QTest::addRow("fault") << R"({"type":"fault","spec":"fail-next=2,job=j1"})"_ba
                           << EventLine::faultLine(spec(u"fail-next=2,job=j1"_s));
    QTest::addRow("fault clear") << R"({"type":"fault","spec":"clear"})"_ba
                                 << EventLine::faultLine(spec(u"clear"_s));
    for (const QString &state : {u"online"_s, u"saturated"_s, u"offline"_s})
        QTest::addRow("backend %s", qPrintable(state))
            << (R"({"type":"backend","backend":"b2","state":")" + state.toUtf8() + "\"}")
            << EventLine::backendLine(u"b2"_s, state);
    QTest::addRow("unicode and quotes")
        << R"({"job":"j \"1\" \\ 日本","worker":"w\u00e9'","backend":"b→🐱","cacheKey":"k\n"})"_ba
        << EventLine::event(u"j \"1\" \\ 日本"_s, u"wé'"_s, u"b→🐱"_s, u"k\n"_s);
}

void TestEventLine::parsesGoodLines()
{
    QFETCH(QByteArray, input);
    QFETCH(EventLine, expected);
    QString error;
    const std::optional<EventLine> line = EventLine::parse(input, &error);
    QVERIFY2(line, qPrintable(error));
    QCOMPARE(line->type, expected.type);
    QCOMPARE(line->job, expected.job);
    QCOMPARE(line->cacheKey.isNull(), expected.cacheKey.isNull());
    QVERIFY(*line == expected);
    // And back: the serialization parses to the same line.
    const std::optional<EventLine> again = EventLine::parse(line->toJson(), &error);
    QVERIFY2(again, qPrintable(error));
    QVERIFY(*again == expected);
}

void TestEventLine::rejectsBadLines_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("error");

    QTest::addRow("not JSON") << "hello"_ba << u"not JSON"_s;
    QTest::addRow("truncated") << R"({"job":"j1","worker":"w1")"_ba << u"not JSON"_s;
    QTest::addRow("array") << R"([{"job":"j1"}])"_ba << u"not a JSON object (got an array)"_s;
    QTest::addRow("number") << "5"_ba << u"not a JSON object (got a number)"_s;
    QTest::addRow("string") << R"("j1")"_ba << u"not a JSON object (got a string)"_s;
    QTest::addRow("blank") << "   "_ba << u"blank line"_s;
    QTest::addRow("missing job") << R"({"worker":"w1","backend":"b1"})"_ba << u"missing job"_s;
    QTest::addRow("missing worker") << R"({"job":"j1","backend":"b1"})"_ba << u"missing worker"_s;
    QTest::addRow("missing backend") << R"({"job":"j1","worker":"w1"})"_ba << u"missing backend"_s;
    QTest::addRow("null job") << R"({"job":null,"worker":"w1","backend":"b1"})"_ba
                              << u"job must be a string, got null"_s;
    QTest::addRow("numeric job") << R"({"job":7,"worker":"w1","backend":"b1"})"_ba
                                 << u"job must be a string, got a number"_s;
    QTest::addRow("object worker") << R"({"job":"j1","worker":{},"backend":"b1"})"_ba
                                   << u"worker must be a string, got an object"_s;
    QTest::addRow("empty job") << R"({"job":"","worker":"w1","backend":"b1"})"_ba << u"empty job"_s;
    QTest::addRow("empty backend")
        << R"({"job":"j1","worker":"w1","backend":""})"_ba << u"empty backend"_s;
    QTest::addRow("numeric cacheKey")
        << R"({"job":"j1","worker":"w1","backend":"b1","cacheKey":3})"_ba
        << u"cacheKey must be a string or null, got a number"_s;
    QTest::addRow("unknown type") << R"({"type":"evnt","job":"j1","worker":"w1","backend":"b1"})"_ba
                                  << u"unknown type 'evnt' (expected event, fault or backend)"_s;
    QTest::addRow("numeric type") << R"({"type":1})"_ba << u"type must be a string, got a number"_s;
    QTest::addRow("bad state") << R"({"type":"backend","backend":"b1","state":"melting"})"_ba
                               << u"bad state 'melting' (expected online, saturated or offline)"_s;
    QTest::addRow("state case") << R"({"type":"backend","backend":"b1","state":"Offline"})"_ba
                                << u"bad state 'Offline'"_s;
    QTest::addRow("missing state")
        << R"({"type":"backend","backend":"b1"})"_ba << u"missing state"_s;
    QTest::addRow("backend line without backend")
        << R"({"type":"backend","state":"online"})"_ba << u"missing backend"_s;
    QTest::addRow("missing spec") << R"({"type":"fault"})"_ba << u"missing spec"_s;
    QTest::addRow("bad spec") << R"({"type":"fault","spec":"explode"})"_ba
                              << u"bad fault spec 'explode': unknown fault kind 'explode'"_s;
    QTest::addRow("bad spec value")
        << R"({"type":"fault","spec":"fail-next=0"})"_ba << u"bad fault spec 'fail-next=0'"_s;
    QTest::addRow("bad ts") << R"({"job":"j1","worker":"w1","backend":"b1","ts":"yesterday"})"_ba
                            << u"bad ts 'yesterday'"_s;
    QTest::addRow("numeric ts") << R"({"job":"j1","worker":"w1","backend":"b1","ts":17})"_ba
                                << u"ts must be a string or null, got a number"_s;
    QTest::addRow("lone surrogate") << R"({"job":"j\ud800","worker":"w1","backend":"b1"})"_ba
                                    << u"job contains an unpaired surrogate"_s;
    // Bytes QJsonDocument would quietly turn into U+FFFD, changing the id.
    QTest::addRow("invalid UTF-8")
        << "{\"job\":\"j\xC3\x28\",\"worker\":\"w1\",\"backend\":\"b1\"}"_ba
        << u"invalid UTF-8 at byte 10"_s;
    QTest::addRow("stray continuation")
        << "{\"job\":\"\x80\",\"worker\":\"w\",\"backend\":\"b\"}"_ba
        << u"invalid UTF-8 at byte 9"_s;
    QTest::addRow("overlong slash")
        << "{\"job\":\"\xC0\xAF\",\"worker\":\"w\",\"backend\":\"b\"}"_ba
        << u"invalid UTF-8 at byte 9"_s;
    QTest::addRow("encoded surrogate")
        << "{\"job\":\"\xED\xA0\x80\",\"worker\":\"w\",\"backend\":\"b\"}"_ba
        << u"invalid UTF-8 at byte 9"_s;
    QTest::addRow("above U+10FFFF")
        << "{\"job\":\"\xF4\x90\x80\x80\",\"worker\":\"w\",\"backend\":\"b\"}"_ba
        << u"invalid UTF-8 at byte 9"_s;
    QTest::addRow("truncated sequence")
        << "{\"job\":\"\xE6\x97\",\"worker\":\"w\",\"backend\":\"b\"}"_ba
        << u"invalid UTF-8 at byte 9"_s;
    QByteArray huge = R"({"job":"j1","worker":"w1","backend":"b1","pad":")"_ba;
    huge += QByteArray(EventLine::MaxLineBytes, 'x') + "\"}";
    QTest::addRow("too long") << huge << u"line too long"_s;
}

void TestEventLine::rejectsBadLines()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    QString actual;
    QVERIFY(!EventLine::parse(input, &actual));
    QVERIFY2(actual.startsWith(error), qPrintable(actual));
}

void TestEventLine::longestLineIsAccepted()
{
    QByteArray line = R"({"job":"j1","worker":"w1","backend":"b1","pad":")"_ba;
    line += QByteArray(EventLine::MaxLineBytes - line.size() - 2, 'x') + "\"}";
    QCOMPARE(line.size(), EventLine::MaxLineBytes);
    QString error;
    QVERIFY2(EventLine::parse(line + "\r\n", &error), qPrintable(error));
}

void TestEventLine::roundTripsAwkwardIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addRow("quotes") << QString::fromUtf8(R"(say "hi")");
    QTest::addRow("backslashes") << QString::fromUtf8(R"(C:\jobs\"x\")");
    QTest::addRow("cjk") << u"ジョブ一"_s;
    QTest::addRow("astral") << u"🐱‍👤 𝄞"_s;
    QTest::addRow("json-ish") << QString::fromUtf8(R"(},{"type":"fault","spec":"clear"})");
    QTest::addRow("spaces kept") << u"  j1  "_s;
    // Ids with control characters (NUL, tab, DEL, C1) are bad lines now: tst_idcheck.
}

void TestEventLine::roundTripsAwkwardIds()
{
    QFETCH(QString, id);
    EventLine line = EventLine::event(id, id + u"w"_s, id + u"b"_s, id + u"k"_s);
    line.setTime(QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0, 7), Qt::UTC));
    const QByteArray json = line.toJson();
    QVERIFY(!json.contains('\n')); // one JSONL line
    QString error;
    const std::optional<EventLine> back = EventLine::parse(json, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->job, id);
    QCOMPARE(back->worker, id + u"w"_s);
    QCOMPARE(back->ts, u"2024-05-01T12:00:00.007Z"_s);
    QVERIFY(*back == line);
    QCOMPARE(back->toJson(), json);

    const EventLine backend = EventLine::backendLine(id, u"offline"_s);
    QVERIFY(*EventLine::parse(backend.toJson(), &error) == backend);
    const EventLine fault = EventLine::faultLine(spec(u"offline,worker="_s + id.remove(u',')));
    const std::optional<EventLine> f = EventLine::parse(fault.toJson(), &error);
    QVERIFY2(f, qPrintable(error));
    QVERIFY(*f == fault);
}

void TestEventLine::serializesCompactly()
{
    QCOMPARE(EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s, u"k9"_s).toJson(),
             R"({"type":"event","job":"j1","worker":"w1","backend":"b2","cacheKey":"k9"})"_ba);
    QCOMPARE(EventLine::event(u"j1"_s, u"w1"_s, u"b2"_s).toJson(),
             R"({"type":"event","job":"j1","worker":"w1","backend":"b2","cacheKey":null})"_ba);
    QCOMPARE(EventLine::faultLine(spec(u" fail-next=2,job=j1 "_s)).toJson(),
             R"({"type":"fault","spec":"fail-next=2,job=j1"})"_ba);
    QCOMPARE(EventLine::backendLine(u"b2"_s, u"offline"_s).toJson(),
             R"({"type":"backend","backend":"b2","state":"offline"})"_ba);
}

void TestEventLine::missAndEmptyKeyDiffer()
{
    const EventLine miss = EventLine::event(u"j"_s, u"w"_s, u"b"_s);
    const EventLine empty = EventLine::event(u"j"_s, u"w"_s, u"b"_s, u""_s);
    QVERIFY(!(miss == empty));
    QString error;
    QVERIFY(EventLine::parse(empty.toJson(), &error)->cacheKey == u""_s);
    QVERIFY(!EventLine::parse(empty.toJson(), &error)->cacheKey.isNull());
}

QTEST_GUILESS_MAIN(TestEventLine)
#include "tst_eventline.moc"
