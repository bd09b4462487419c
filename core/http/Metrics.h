#pragma once

#include <QByteArray>

class Session;

/*!
 * The session as Prometheus metrics (text exposition format 0.0.4), for `GET /metrics`.
 * Every name starts with `stickyboard_`; counters end in `_total`. Per backend:
 * `stickyboard_backend_jobs{backend}` (jobs persisted there) and
 * `stickyboard_backend_state{backend,state}` (1 for the current state, 0 for the others).
 * Label values are escaped, so any job or backend id is safe. Past maxBackendSeries
 * backends only the busiest get series; `stickyboard_backends_unlisted` counts the others and
 * `stickyboard_backend_jobs_unlisted` sums their jobs.
 */
namespace Metrics {

/// Backends with their own series, at most (the default --max-backends).
inline constexpr int maxBackendSeries = 1000;

/// The exposition's Content-Type.
inline constexpr char contentType[] = "text/plain; version=0.0.4; charset=utf-8";

/// Renders every metric now; cheap at 100k jobs (one pass over the tracker).
QByteArray render(const Session &session);

/// A label value escaped for the exposition format: backslash, double quote, newline.
QByteArray escapeLabelValue(const QString &value);

} // namespace Metrics
