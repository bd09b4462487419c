// kill -9 of a busy simulation, 20 times over one SQLite file: the file stays intact, every
// job's last_backend_id is the to_backend of its newest switch row (the two are written in
// one transaction), and a clean run afterwards ends with current == db.

#include "AppRunner.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct FileCheck {
    QString integrity;
    qint64 jobs = -1;
    qint64 mismatched = -1;
    qint64 switches = -1;
};

FileCheck check(const QString &path)
{
    FileCheck c;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"check"_s);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(u"PRAGMA integrity_check"_s) && q.next())
                c.integrity = q.value(0).toString();
            if (q.exec(u"SELECT COUNT(*) FROM jobs"_s) && q.next())
                c.jobs = q.value(0).toLongLong();
            if (q.exec(u"SELECT COUNT(*) FROM backend_switches"_s) && q.next())
                c.switches = q.value(0).toLongLong();
            if (q.exec(u"SELECT COUNT(*) FROM jobs j WHERE j.last_backend_id IS NOT"
                       " (SELECT s.to_backend FROM backend_switches s WHERE s.job_id = j.id"
                       "  ORDER BY s.id DESC LIMIT 1)"_s) &&
                q.next())
                c.mismatched = q.value(0).toLongLong();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(u"check"_s);
    return c;
}

} // namespace

class TestCrash : public QObject {
    Q_OBJECT
private slots:
    void killNineTwentyTimes()
    {
        QTemporaryDir home;
        QVERIFY(home.isValid());
        const QString file = home.filePath(u"jobs.db"_s);
        const QProcessEnvironment env = AppRunner::environment(home.path());
        // A high rate: 2,000 running jobs at 50 requests/s each, over 8 backends.
        const QStringList sim{u"--headless"_s, u"--db"_s,   u"sqlite:"_s + file,
                              u"--jobs"_s,     u"20000"_s,  u"--workers"_s,
                              u"2000"_s,       u"--rate"_s, u"50"_s,
                              u"--backends"_s, u"8"_s};
        QElapsedTimer total;
        total.start();
        qint64 lastSwitches = 0;
        for (int run = 0; run < 20; ++run) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.setProcessChannelMode(QProcess::MergedChannels);
            p.start(QStringLiteral(STICKYBOARD_BIN),
                    sim + QStringList{u"--fault"_s, u"fail-rate=0.2"_s, u"--seed"_s,
                                      QString::number(run + 1)});
            QVERIFY(p.waitForStarted(10000));
            // Somewhere in the middle of group commits: 0.6 to 1.5 s after the start.
            QTest::qWait(600 + (run * 137) % 900);
            QCOMPARE(p.state(), QProcess::Running);
            p.kill(); // SIGKILL
            QVERIFY(p.waitForFinished(10000));
            QCOMPARE(p.exitStatus(), QProcess::CrashExit);

            const FileCheck c = check(file);
            QCOMPARE(c.integrity, u"ok"_s);
            QVERIFY(c.jobs > 0);
            QCOMPARE(c.mismatched, 0);
            QVERIFY(c.switches >= lastSwitches); // nothing committed was lost
            lastSwitches = c.switches;
        }
        qInfo() << "20 kills in" << total.elapsed() << "ms;" << lastSwitches << "switch rows";

        // A clean run over the same file ends with current == db for every job.
        const QString report = home.filePath(u"report.json"_s);
        const AppRunner::Run clean = AppRunner::run(
            sim + QStringList{u"--duration"_s, u"2"_s, u"--report"_s, report}, env, 60000);
        QVERIFY2(clean.exitCode == 0, qPrintable(clean.err));
        const QJsonObject r = QJsonDocument::fromJson(AppRunner::readAll(report)).object();
        const QJsonArray jobs = r.value(u"jobs"_s).toArray();
        QVERIFY(jobs.size() > 0);
        for (const QJsonValue &v : jobs) {
            const QJsonObject job = v.toObject();
            QVERIFY2(
                job.value(u"current"_s) == job.value(u"db"_s),
                qPrintable(QString::fromUtf8(QJsonDocument(job).toJson(QJsonDocument::Compact))));
        }
        const FileCheck after = check(file);
        QCOMPARE(after.integrity, u"ok"_s);
        QCOMPARE(after.mismatched, 0);
    }
};

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
