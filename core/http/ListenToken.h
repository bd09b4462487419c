#pragma once

#include <QString>

#include <optional>

/*!
 * Where the `--listen` bearer token comes from: `--listen-token-file PATH` (preferred),
 * the environment variable `STICKYBOARD_LISTEN_TOKEN`, or `--listen-token T` (kept, with a
 * warning: every local user can read a process's argv in /proc/PID/cmdline). The token
 * itself never appears in a message.
 */
namespace ListenToken {

inline constexpr char environmentVariable[] = "STICKYBOARD_LISTEN_TOKEN";
inline constexpr qsizetype maxBytes = 4096;

/// What the command line gave; each part is absent when not given.
struct Sources {
    std::optional<QString> argument; ///< --listen-token
    std::optional<QString> file;     ///< --listen-token-file
    std::optional<QByteArray> environment;
};

/// The token (empty: none given), or std::nullopt with `error` naming the option or path.
/// `warning` says why --listen-token is a bad idea when it was used.
std::optional<QString> resolve(const Sources &sources, QString *warning, QString *error);

/// The file's contents without trailing CR/LF; an empty, unreadable or oversized file, or
/// one with blanks or control characters inside, is an error naming `path`.
std::optional<QString> readFile(const QString &path, QString *error);

} // namespace ListenToken
