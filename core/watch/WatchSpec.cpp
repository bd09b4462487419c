#include "watch/WatchSpec.h"

#include "util/Escape.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace {

/// Plain ASCII identifiers only: `\A[A-Za-z_][A-Za-z0-9_]{0,62}\z`, the names PostgreSQL
/// and SQLite both take unquoted (63 bytes is PostgreSQL's limit). Anything else is refused
/// rather than escaped: the name is printed into SQL comments and `$sb$` dollar quoting by
/// --print-watch-sql, where no quoting helps. `\A`/`\z`, not `^`/`$`: `$` also matches before
/// a trailing newline.
bool checkIdentifier(const QString &name, const QString &what, QString *error)
{
    static const QRegularExpression plain(u"\\A[A-Za-z_][A-Za-z0-9_]{0,62}\\z"_s);
    if (name.isEmpty()) {
        *error = QStringLiteral("%1 is empty").arg(what);
        return false;
    }
    if (!plain.match(name).hasMatch()) {
        *error = QStringLiteral("%1 '%2' is not a plain SQL name (ASCII letters, digits and _, "
                                "not starting with a digit, at most 63 characters)")
                     .arg(what, Escape::text(name));
        return false;
    }
    return true;
}

} // namespace

bool WatchSpec::setTable(const QString &text, QString *error)
{
    const QStringList parts = text.split(u'.');
    if (parts.size() > 2) {
        *error = QStringLiteral("'%1' has more than one '.': use TABLE or SCHEMA.TABLE").arg(text);
        return false;
    }
    if (parts.size() == 2 && !checkIdentifier(parts.at(0), u"schema"_s, error))
        return false;
    if (!checkIdentifier(parts.constLast(), u"table"_s, error))
        return false;
    schema = parts.size() == 2 ? parts.at(0) : QString();
    table = parts.constLast();
    return true;
}

bool WatchSpec::setColumns(const QString &text, QString *error)
{
    const QStringList parts = text.split(u',');
    if (parts.size() < 2 || parts.size() > 3) {
        *error = QStringLiteral("'%1' needs 2 or 3 names: ID,BACKEND[,WORKER]").arg(text);
        return false;
    }
    static const char *const roles[] = {"id column", "backend column", "worker column"};
    QStringList names;
    for (qsizetype i = 0; i < parts.size(); ++i) {
        // Spaces after the commas are a convenience; other white space (a newline) is not.
        QString name = parts.at(i);
        while (name.startsWith(u' '))
            name.remove(0, 1);
        while (name.endsWith(u' '))
            name.chop(1);
        if (!checkIdentifier(name, QLatin1String(roles[i]), error))
            return false;
        if (names.contains(name)) {
            *error = QStringLiteral("column '%1' is named twice").arg(name);
            return false;
        }
        names.append(name);
    }
    idColumn = names.at(0);
    backendColumn = names.at(1);
    workerColumn = names.size() == 3 ? names.at(2) : QString();
    columnsGiven = true;
    return true;
}

QString WatchSpec::quote(const QString &identifier)
{
    // checkIdentifier() admits no quotes; doubling them keeps quote() safe on its own too.
    return u'"' + QString(identifier).replace(u'"', u"\"\""_s) + u'"';
}

QString WatchSpec::qualifiedTable() const
{
    return schema.isEmpty() ? quote(table) : quote(schema) + u'.' + quote(table);
}

QString WatchSpec::displayName() const
{
    return schema.isEmpty() ? table : schema + u'.' + table;
}

QString WatchSpec::postgresTriggerSql() const
{
    // One function per table: the column names are baked into it.
    const QString function = schema.isEmpty()
                                 ? quote(u"stickyboard_watch_"_s + table)
                                 : quote(schema) + u'.' + quote(u"stickyboard_watch_"_s + table);
    // Without --watch-columns the watcher reads worker_id when the table has one; the
    // trigger must not fail on tables without it, so it looks the field up by name.
    const QString worker = !workerColumn.isEmpty() ? u"NEW.%1"_s.arg(quote(workerColumn))
                           : columnsGiven          ? u"NULL"_s
                                                   : u"to_jsonb(NEW) ->> 'worker_id'"_s;
    return QStringLiteral(
               "-- Stickyboard --watch: notify listeners of every change of %1.%2.\n"
               "-- Run once as the table's owner (psql -f). Remove with:\n"
               "--   DROP TRIGGER %3 ON %4; DROP FUNCTION %5();\n"
               "CREATE OR REPLACE FUNCTION %5() RETURNS trigger LANGUAGE plpgsql AS $sb$\n"
               "DECLARE\n"
               "    payload text;\n"
               "BEGIN\n"
               "    IF TG_OP = 'UPDATE' AND NEW.%6 IS NOT DISTINCT FROM OLD.%6 THEN\n"
               "        RETURN NULL;\n"
               "    END IF;\n"
               "    payload := json_build_object('schema', TG_TABLE_SCHEMA, 'table', "
               "TG_TABLE_NAME,\n"
               "        'job', NEW.%8, 'backend', NEW.%6, 'worker', %9)::text;\n"
               "    -- A NOTIFY payload stops at 8000 bytes, and a longer one would fail the\n"
               "    -- writer's statement: say only that something changed; watchers then poll.\n"
               "    IF octet_length(payload) > 7900 THEN\n"
               "        payload := json_build_object('schema', TG_TABLE_SCHEMA, 'table', "
               "TG_TABLE_NAME,\n"
               "            'overflow', true)::text;\n"
               "    END IF;\n"
               "    PERFORM pg_notify('%7', payload);\n"
               "    RETURN NULL;\n"
               "END\n"
               "$sb$;\n"
               "DROP TRIGGER IF EXISTS %3 ON %4;\n"
               "CREATE TRIGGER %3 AFTER INSERT OR UPDATE ON %4\n"
               "    FOR EACH ROW EXECUTE PROCEDURE %5();\n")
        .arg(displayName(), backendColumn, triggerName(), qualifiedTable(), function,
             quote(backendColumn), QLatin1String(Channel), quote(idColumn), worker);
}
