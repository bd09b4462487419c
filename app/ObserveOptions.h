#pragma once

#include <QString>

class QCommandLineParser;
struct CommandLine;

/// `--observe FILE`, `--observe-map MAP`, `--observe-from-start`, `--stale-after S`,
/// `--history PATH|none`, `--history-days N` (watch mode, issue 12): adds them to `parser`.
void addObserveOptions(QCommandLineParser &parser);
/// Checks and takes them into `cl`; false (after printing the error) on bad usage.
/// `fail` prints a message naming the option and sets the exit code 2.
bool parseObserveOptions(const QCommandLineParser &parser, CommandLine *cl,
                         void (*fail)(const QString &, int *), int *exitCode);
