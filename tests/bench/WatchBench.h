#pragma once

#include <QStringList>

/// `stickyboard-bench watch …`: what one `--watch` poll costs on a large jobs table, whole
/// read against incremental read against an idle poll, on SQLite and (when
/// STICKYBOARD_TEST_PG_URL is set) PostgreSQL. Prints a table to stderr and one JSON line
/// to stdout. Returns the process exit code.
int runWatchBench(const QStringList &args);
