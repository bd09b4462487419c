// ctest-labels: observe
// --observe's tail -F on real files: appends, a partial last line, rotation by rename (the
// old file's last lines first), truncation, a file that appears late, over-long lines.

#include "observe/FollowedFile.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

void append(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

/// What the follower emitted, as "NUMBER:LINE".
struct Lines {
    QStringList seen;
    explicit Lines(FollowedFile *f)
    {
        QObject::connect(f, &FollowedFile::line, f, [this](const QByteArray &l, qint64 n) {
            seen.append(QString::number(n) + u':' + QString::fromUtf8(l));
        });
    }
};

} // namespace

class TestFollowedFile : public QObject {
    Q_OBJECT
private slots:
    void fromTheEndByDefault()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"gw.log"_s);
        append(path, "old 1\nold 2\n");
        FollowedFile f(path, false);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QVERIFY(f.start(nullptr));
        QTest::qWait(60);
        QVERIFY(lines.seen.isEmpty());
        append(path, "new 3\nnew 4\r\n");
        QTRY_COMPARE(lines.seen, (QStringList{u"3:new 3"_s, u"4:new 4"_s}));
        QCOMPARE(f.linesRead(), 2u);
    }

    void fromTheStartWhenAsked()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"gw.log"_s);
        append(path, "a\nb\n");
        FollowedFile f(path, true);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QVERIFY(f.start(nullptr));
        QTRY_COMPARE(lines.seen, (QStringList{u"1:a"_s, u"2:b"_s}));
    }

    void partialLinesWaitForTheirEnd()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"gw.log"_s);
        append(path, "half-written before we st");
        FollowedFile f(path, false);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QVERIFY(f.start(nullptr));
        QTest::qWait(60);
        append(path, "arted\n{\"job\":");
        QTest::qWait(60);
        QVERIFY(lines.seen.isEmpty()); // the first began before us; the second is unfinished
        append(path, "\"j1\"}\n");
        QTRY_COMPARE(lines.seen, (QStringList{u"2:{\"job\":\"j1\"}"_s}));
    }

    void rotationByRename()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"gw.log"_s);
        append(path, "");
        FollowedFile f(path, false);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QSignalSpy notices(&f, &FollowedFile::notice);
        QVERIFY(f.start(nullptr));
        append(path, "one\n");
        QTRY_COMPARE(lines.seen, (QStringList{u"1:one"_s}));
        // logrotate: rename, the writer appends to the renamed file a little longer, then a
        // new file is created.
        QVERIFY(QFile::rename(path, path + u".1"_s));
        append(path + u".1"_s, "two\nthree");
        append(path, "new one\n");
        QTRY_COMPARE(lines.seen,
                     (QStringList{u"1:one"_s, u"2:two"_s, u"3:three"_s, u"1:new one"_s}));
        QVERIFY(std::any_of(notices.cbegin(), notices.cend(), [](const QList<QVariant> &n) {
            return n.at(0).toString().contains(u"rotated"_s);
        }));
        append(path, "new two\n");
        QTRY_COMPARE(lines.seen.size(), 5);
        QCOMPARE(lines.seen.last(), u"2:new two"_s);
    }

    void truncation()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"gw.log"_s);
        append(path, "");
        FollowedFile f(path, false);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QVERIFY(f.start(nullptr));
        append(path, "a long first line\nanother one\n");
        QTRY_COMPARE(lines.seen.size(), 2);
        {
            QFile t(path);
            QVERIFY(t.resize(0)); // copytruncate
        }
        QTest::qWait(60);
        append(path, "after\n");
        QTRY_COMPARE(lines.seen.size(), 3);
        QCOMPARE(lines.seen.last(), u"1:after"_s);
    }

    void aMissingFileIsWaitedFor()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"later.log"_s);
        FollowedFile f(path, false);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QVERIFY(f.start(nullptr));
        QTest::qWait(60);
        append(path, "first\n");
        QTRY_COMPARE(lines.seen, (QStringList{u"1:first"_s}));
    }

    void overLongLinesAreSkipped()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"gw.log"_s);
        append(path, "");
        FollowedFile f(path, false);
        f.setPollIntervalMs(20);
        Lines lines(&f);
        QSignalSpy tooLong(&f, &FollowedFile::tooLong);
        QVERIFY(f.start(nullptr));
        append(path, QByteArray(FollowedFile::MaxLineBytes + 10, 'x') + "\nok\n");
        QTRY_COMPARE(lines.seen, (QStringList{u"2:ok"_s}));
        QCOMPARE(tooLong.size(), 1);
        QCOMPARE(tooLong.at(0).at(0).toLongLong(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFollowedFile)
#include "tst_followedfile.moc"
