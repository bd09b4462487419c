#include "store/SqlFailure.h"

#include <QSqlError>

using namespace Qt::StringLiterals;

namespace {

// Primary SQLite result codes (sqlite3.h); the low byte of an extended code.
enum SqliteCode {
    Busy = 5,
    Locked = 6,
    ReadOnly = 8,
    IoErr = 10,
    Corrupt = 11,
    Full = 13,
    TooBig = 18,
    Constraint = 19,
    Mismatch = 20,
    Range = 25,
};

int sqliteCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? code & 0xff : -1;
}

} // namespace

namespace SqlFailure {

Scope scopeOf(const QSqlError &error, Dialect dialect)
{
    if (dialect == Dialect::Sqlite) {
        switch (sqliteCode(error)) {
        case TooBig:
        case Constraint: // also RAISE(ABORT) in a trigger
        case Mismatch:
        case Range:
            return Scope::Rows;
        default:
            return Scope::Group;
        }
    }
    // SQLSTATE classes that belong to the data of a row: 21 cardinality (one row upserted
    // twice), 22 data exception (bad encoding, value too long), 23 integrity constraint,
    // 54 program limit (index row larger than a btree page allows), P0 raised by PL/pgSQL.
    // Everything else (08 connection, 53 resources such as disk full, 57P shutdown, 40
    // serialization or deadlock, 55 lock not available, 42 schema, no code at all because
    // the server is gone) would fail the halves just the same.
    const QString state = error.nativeErrorCode();
    if (state.size() != 5)
        return Scope::Group;
    const QStringView cls = QStringView(state).left(2);
    if (cls == u"21" || cls == u"22" || cls == u"23" || cls == u"54" || cls == u"P0")
        return Scope::Rows;
    return Scope::Group;
}

QString hint(const QSqlError &error, Dialect dialect)
{
    if (dialect == Dialect::Sqlite) {
        switch (sqliteCode(error)) {
        case Full:
            return u"the disk is full: free space on the database's file system"_s;
        case IoErr:
            return u"the file system reported an I/O error"_s;
        case Corrupt:
            return u"the database file is corrupt"_s;
        case ReadOnly:
            return u"the database file is read-only"_s;
        case Busy:
        case Locked:
        default:
            return {};
        }
    }
    const QString state = error.nativeErrorCode();
    if (state == u"53100")
        return u"the disk is full on the PostgreSQL server"_s;
    if (state == u"25006")
        return u"the server or session is read-only"_s;
    if (state.startsWith(u"57P"))
        return u"the PostgreSQL server is shutting down or restarting"_s;
    if (state == u"54000")
        return u"a value is too large for the database (is an id very long?)"_s;
    return {};
}

} // namespace SqlFailure
