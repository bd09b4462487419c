// ctest-labels: observe
// RFC 6901 JSON Pointers as --observe-map uses them: escapes, arrays, missing steps,
// unicode, the URI fragment form, and the errors for text that is no pointer.

#include "observe/JsonPointer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// RFC 6901 section 5's example document, plus a few of our own.
// Single quotes stand for double quotes (moc misreads some raw string literals).
const char *Document = "{'foo': ['bar', 'baz'], '': 0, 'a/b': 1, 'c%d': 2, 'e^f': 3, 'g|h': 4,"
                       " 'i\\\\j': 5, 'k\\'l': 6, ' ': 7, 'm~n': 8, '東京': {'🐈': 'cat'},"
                       " 'nested': {'list': [{'id': 'x'}]}, 's': 'text', 'a,b': 'comma'}";

QJsonObject document()
{
    // ' is " except after a backslash, where it stays a quote character of the key.
    QByteArray json(Document);
    json.replace("\\'", "\x01").replace('\'', '"').replace("\x01", "\\\"");
    const QJsonObject o = QJsonDocument::fromJson(json).object();
    if (o.isEmpty())
        qFatal("bad test document: %s", json.constData());
    return o;
}

} // namespace

class TestJsonPointer : public QObject {
    Q_OBJECT
private slots:
    void evaluate_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("expected"); // compact JSON; "undefined" for nothing
        QTest::addRow("rfc: /foo") << u"/foo"_s << u"[\"bar\",\"baz\"]"_s;
        QTest::addRow("rfc: /foo/0") << u"/foo/0"_s << u"\"bar\""_s;
        QTest::addRow("rfc: /") << u"/"_s << u"0"_s;
        QTest::addRow("rfc: /a~1b") << u"/a~1b"_s << u"1"_s;
        QTest::addRow("rfc: /c%d") << u"/c%d"_s << u"2"_s;
        QTest::addRow("rfc: /e^f") << u"/e^f"_s << u"3"_s;
        QTest::addRow("rfc: /g|h") << u"/g|h"_s << u"4"_s;
        QTest::addRow("rfc: /i\\j") << u"/i\\j"_s << u"5"_s;
        QTest::addRow("rfc: /k\"l") << u"/k\"l"_s << u"6"_s;
        QTest::addRow("rfc: / space") << u"/ "_s << u"7"_s;
        QTest::addRow("rfc: /m~0n") << u"/m~0n"_s << u"8"_s;
        QTest::addRow("~01 is ~1 literally, not /") << u"/m~01"_s << u"undefined"_s;
        QTest::addRow("unicode keys") << u"/東京/🐈"_s << u"\"cat\""_s;
        QTest::addRow("nested array of objects") << u"/nested/list/0/id"_s << u"\"x\""_s;
        QTest::addRow("missing key") << u"/nope"_s << u"undefined"_s;
        QTest::addRow("index past the end") << u"/foo/2"_s << u"undefined"_s;
        QTest::addRow("index '-' names no element") << u"/foo/-"_s << u"undefined"_s;
        QTest::addRow("leading zero is no index") << u"/foo/01"_s << u"undefined"_s;
        QTest::addRow("non-numeric index") << u"/foo/x"_s << u"undefined"_s;
        QTest::addRow("step into a string") << u"/s/0"_s << u"undefined"_s;
        QTest::addRow("fragment form") << u"#/a%2Cb"_s << u"\"comma\""_s;
        QTest::addRow("fragment form, unicode")
            << u"#/%E6%9D%B1%E4%BA%AC/%F0%9F%90%88"_s << u"\"cat\""_s;
    }
    void evaluate()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, expected);
        QString error;
        const auto p = JsonPointer::parse(pointer, &error);
        QVERIFY2(p, qPrintable(error));
        const QJsonValue v = p->evaluate(document());
        const QString got =
            v.isUndefined()
                ? u"undefined"_s
                : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact))
                      .chopped(1)
                      .mid(1);
        QCOMPARE(got, expected);
        // The same through the QJsonValue overload.
        QCOMPARE(p->evaluate(QJsonValue(document())), v);
    }

    void wholeDocument()
    {
        const auto p = JsonPointer::parse(u"", nullptr);
        QVERIFY(p);
        QVERIFY(p->tokens().isEmpty());
        QCOMPARE(p->evaluate(document()), QJsonValue(document()));
    }

    void errors_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addColumn<QString>("error");
        QTest::addRow("no slash") << u"foo"_s << u"'foo' must start with '/'"_s;
        QTest::addRow("~2") << u"/a~2"_s << u"'~' at character 3 is no escape"_s;
        QTest::addRow("~ at the end") << u"/ab/c~"_s << u"'~' at character 6 is no escape"_s;
        QTest::addRow("bad percent UTF-8") << u"#/%FF"_s << u"not valid UTF-8"_s;
    }
    void errors()
    {
        QFETCH(QString, pointer);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!JsonPointer::parse(pointer, &got));
        QVERIFY2(got.contains(error), qPrintable(got));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("pointer");
        QTest::addRow("plain") << u"/a/b/0"_s;
        QTest::addRow("escapes") << u"/m~0n/a~1b"_s;
        QTest::addRow("empty key") << u"/"_s;
        QTest::addRow("unicode") << u"/東京"_s;
    }
    void roundTrip()
    {
        QFETCH(QString, pointer);
        const auto p = JsonPointer::parse(pointer, nullptr);
        QVERIFY(p);
        QCOMPARE(p->toString(), pointer);
        QCOMPARE(JsonPointer::parse(p->toString(), nullptr), p);
    }
};

QTEST_GUILESS_MAIN(TestJsonPointer)
#include "tst_jsonpointer.moc"
