// The id rule (util/IdCheck.h) and where it applies: event lines are bad lines with the
// reason, never writes.

#include "sources/EventLine.h"
#include "util/IdCheck.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// JSON written with single quotes, to keep the test data readable.
QByteArray j(const char *text)
{
    return QByteArray(text).replace('\'', '"');
}

} // namespace

class TestIdCheck : public QObject {
    Q_OBJECT
private slots:
    void rule_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("problem"); // empty: valid
        QTest::addRow("plain") << u"job-1"_s << QString();
        QTest::addRow("unicode") << u"Ärger 東京 🐈"_s << QString();
        QTest::addRow("quotes") << u"it's \"x\"; DROP TABLE jobs"_s << QString();
        QTest::addRow("256 bytes") << QString(256, u'a') << QString();
        QTest::addRow("empty") << QString() << u"is empty"_s;
        QTest::addRow("257 bytes")
            << QString(257, u'a') << u"is 257 bytes long (at most 256 bytes of UTF-8)"_s;
        // 128 characters of 2 bytes each is 256 bytes; one more is over.
        QTest::addRow("multibyte 256") << QString(128, u'é') << QString();
        QTest::addRow("multibyte 258")
            << QString(129, u'é') << u"is 258 bytes long (at most 256 bytes of UTF-8)"_s;
        QTest::addRow("emoji 4 bytes") << QString(64, u'x').replace(u"x"_s, u"🐈"_s) << QString();
        QTest::addRow("NUL") << u"a\u0000b"_s
                             << u"contains control character U+0000 at character 2"_s;
        QTest::addRow("tab") << u"a\tb"_s << u"contains control character U+0009 at character 2"_s;
        QTest::addRow("newline") << u"ab\n"_s
                                 << u"contains control character U+000A at character 3"_s;
        QTest::addRow("DEL") << u"\u007F"_s
                             << u"contains control character U+007F at character 1"_s;
        QTest::addRow("C1 NEL") << u"x\u0085"_s
                                << u"contains control character U+0085 at character 2"_s;
        QTest::addRow("C1 last") << u"x\u009F"_s
                                 << u"contains control character U+009F at character 2"_s;
        QTest::addRow("after C1") << u"x\u00A0"_s << QString(); // no-break space is text
        QTest::addRow("lone surrogate")
            << QString(QChar(0xD800)) << u"contains an unpaired surrogate at character 1"_s;
    }
    void rule()
    {
        QFETCH(QString, id);
        QFETCH(QString, problem);
        const std::optional<QString> got = IdCheck::idProblem(id);
        QCOMPARE(got.value_or(QString()), problem);
        QCOMPARE(IdCheck::isValidId(id), problem.isEmpty());
        if (!problem.isEmpty())
            QCOMPARE(*IdCheck::idProblem(id, u"job id"), u"job id "_s + problem);
    }

    void eventLinesRefuseBadIds_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("error");
        QTest::addRow("NUL job") << j("{'job':'a\\u0000b','worker':'w','backend':'b'}")
                                 << u"job contains control character U+0000 at character 2"_s;
        QTest::addRow("C1 worker") << j("{'job':'j','worker':'w\\u0085','backend':'b'}")
                                   << u"worker contains control character U+0085 at character 2"_s;
        QTest::addRow("DEL backend")
            << j("{'job':'j','worker':'w','backend':'\\u007f'}")
            << u"backend contains control character U+007F at character 1"_s;
        QTest::addRow("long job") << j("{'job':'") + QByteArray(3000, 'x') +
                                         j("','worker':'w','backend':'b'}")
                                  << u"job is 3000 bytes long (at most 256 bytes of UTF-8)"_s;
        QTest::addRow("backend line")
            << j("{'type':'backend','backend':'b\\n','state':'offline'}")
            << u"backend contains control character U+000A at character 2"_s;
    }
    void eventLinesRefuseBadIds()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, error);
        QString got;
        QVERIFY(!EventLine::parse(line, &got));
        QCOMPARE(got, error);
    }

    void eventLinesKeepGoodIds()
    {
        QString error;
        const auto line = EventLine::parse(
            j("{'job':'") + QByteArray(256, 'j') + j("','worker':'w','backend':'b'}"), &error);
        QVERIFY2(line, qPrintable(error));
        QCOMPARE(line->job.size(), 256);
    }
};

QTEST_GUILESS_MAIN(TestIdCheck)
#include "tst_idcheck.moc"
