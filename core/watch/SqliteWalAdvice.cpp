#include "watch/SqliteWalAdvice.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace {

/// Bytes 18 and 19 of a SQLite file's header are 2 in WAL mode.
bool isWalFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray header = file.read(20);
    return header.size() == 20 && header.startsWith("SQLite format 3") && header.at(18) == 2 &&
           header.at(19) == 2;
}

} // namespace

QString SqliteWalAdvice::forReadFailure(const DbUrl &url, const QString &driverText)
{
    if (url.kind != DbUrl::Kind::Sqlite || url.inMemory ||
        !driverText.contains(u"readonly database") || !isWalFile(url.path))
        return {};
    const QFileInfo file(url.path);
    const QString folder = file.absolutePath();
    const QString shm = url.path + u"-shm"_s;
    if (QFileInfo::exists(shm) || QFileInfo(folder).isWritable())
        return {};
    return u"cannot watch %1: the database is in WAL mode, and SQLite itself needs its "
           "coordination file %2 (a shared-memory index, never data) to read it; the file "
           "is absent and this user cannot create it in folder %3. Make the folder writable, "
           "or watch while a writer has the database open (SQLite then reuses its -shm "
           "read-only), or watch a copy (sqlite3 '%4' \".backup /tmp/jobs-copy.db\"). (SQLite: "
           "%5)"_s.arg(url.redacted(), shm, folder, url.path, driverText);
}
