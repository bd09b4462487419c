#include "util/Escape.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestEscape : public QObject {
    Q_OBJECT
private slots:
    void text_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("plain") << u"job j1 on b2"_s << u"job j1 on b2"_s;
        QTest::addRow("non-ASCII kept") << u"tâche → 日本"_s << u"tâche → 日本"_s;
        QTest::addRow("ESC") << u"\x1b[31mred"_s << u"\\u001b[31mred"_s;
        QTest::addRow("CR LF") << u"a\r\nforged"_s << u"a\\u000d\\u000aforged"_s;
        QTest::addRow("tab and NUL") << (u"a\tb"_s + QChar(0)) << u"a\\u0009b\\u0000"_s;
        QTest::addRow("DEL and C1") << u"x\x7f\u009by"_s << u"x\\u007f\\u009by"_s;
        QTest::addRow("bidi override") << u"abc\u202edef"_s << u"abc\\u202edef"_s;
        QTest::addRow("line separator") << u"a\u2028b"_s << u"a\\u2028b"_s;
        QTest::addRow("backslash kept") << u"C:\\x"_s << u"C:\\x"_s;
    }
    void text()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(Escape::text(input), expected);
        QCOMPARE(Escape::needed(input), input != expected);
    }
    void bytes() { QCOMPARE(Escape::bytes("\x1b\xff ok"), u"\\u001b\ufffd ok"_s); }
};

QTEST_GUILESS_MAIN(TestEscape)
#include "tst_escape.moc"
