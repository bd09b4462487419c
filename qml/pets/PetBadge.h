#pragma once

#include <QColor>
#include <QImage>
#include <QSizeF>
#include <QString>

/*!
 * The small label under a pet: job tag, backend chip (the persisted backend), cache hit/miss
 * dot and persist state (saved ✓, saving …, retry pending ⟳ with the failure count). Rendered
 * to an image only when the pet's state changes, so painting never formats text.
 */
class PetBadge {
public:
    /// Stale: watch mode's table has lagged where the job runs for longer than the grace.
    enum class Persist : quint8 { Unresolved, Saved, Saving, RetryPending, Stale };

    struct State {
        QString tag;     ///< short job tag
        QString backend; ///< short persisted backend id (empty: none yet)
        Persist persist = Persist::Unresolved;
        quint32 failures = 0;
        bool hasEvent = false;
        bool hit = false;
        bool stale = false; ///< the database is stale: a write failed and the job runs elsewhere

        bool operator==(const State &) const = default;
    };

    /// "backend-12" → "b12", "job-0042" → "j0042": the lane header already names the backend
    /// in full, the badge only has to tell neighbours apart.
    static QString shortId(const QString &id);
    static QString persistText(Persist persist);

    /// Renders `state` into a `size` (logical) image at `dpr`; compact (icons only) when
    /// the size is too small for text.
    static QImage render(const State &state, QSizeF size, qreal dpr, const QColor &worker);
    /// The ghost's label: the job tag on a dashed pill, so a ghost in a crowd names its pet.
    static QImage renderGhostTag(const QString &tag, QSizeF size, qreal dpr, const QColor &worker);
};
