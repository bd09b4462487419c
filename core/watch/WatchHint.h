#pragma once

#include "watch/WatchSpec.h"

#include <QString>

/*!
 * What one NOTIFY payload on the watch channel asks for. A payload is only a hint: anyone
 * who can connect may send one, rights on the table or not, so the watcher reads the named
 * row again from the table and never shows what the payload says.
 */
struct WatchHint {
    enum class Kind {
        OtherTable, ///< the trigger's format, for another watched table: nothing to do
        Poll,       ///< not the trigger's format, or the row was too big for one: poll now
        Job,        ///< read the row of `job` again
    };
    Kind kind = Kind::Poll;
    QString job; ///< Kind::Job: the job's id as the table's text (numbers without ".0")

    /// `payload` as the printed trigger (WatchSpec::postgresTriggerSql) sends it.
    static WatchHint parse(const QString &payload, const WatchSpec &spec);
};
