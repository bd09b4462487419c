#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

/*!
 * Makes outside text (ids, bad lines, table names, client input) safe to write to a
 * terminal or a log: C0 and C1 control characters, DEL and the bidirectional overrides
 * become `\u001b`-style escapes, so input can neither move the cursor, recolour the
 * terminal, forge a second log line (CR, LF) nor reorder what is shown. Everything else,
 * including non-ASCII letters, is kept as it is.
 */
namespace Escape {

/// `text` with every control character replaced by `\uXXXX`.
QString text(QStringView text);
/// The same for raw bytes: decoded as UTF-8 (bad sequences become U+FFFD) first.
QString bytes(QByteArrayView bytes);
/// True when text() would change something.
bool needed(QStringView text);

} // namespace Escape
