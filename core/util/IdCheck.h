#pragma once

#include <QString>
#include <QStringView>

#include <optional>

/*!
 * The one rule for ids (job, worker, backend) wherever they enter: replay and HTTP event
 * lines, watched rows, the simulation, and the store itself as a last guard.
 *
 * An id is non-empty, at most IdCheck::MaxBytes bytes of UTF-8, valid UTF-16 (no unpaired
 * surrogate), and holds no control character: no NUL or other C0 (U+0000..U+001F), no DEL
 * (U+007F), no C1 (U+0080..U+009F). The PostgreSQL driver cuts SQL at a NUL, and a long id
 * can exceed the database's index row limit, failing the write of everybody in its group.
 */
namespace IdCheck {

/// Longest id, in bytes of UTF-8.
inline constexpr qsizetype MaxBytes = 256;

/// Why `id` is not a valid id ("is empty", "is 300 bytes long (at most 256)", "contains
/// control character U+0000 at character 3"), or nullopt when it is one.
std::optional<QString> idProblem(QStringView id);

/// idProblem() with the field named: "job id contains ...". Nullopt when valid.
std::optional<QString> idProblem(QStringView id, QStringView what);

inline bool isValidId(QStringView id)
{
    return !idProblem(id).has_value();
}

} // namespace IdCheck
