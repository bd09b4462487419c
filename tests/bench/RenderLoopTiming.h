#pragma once

#include <QList>

/*!
 * The render loop's own per-frame timing (`qt.scenegraph.time.renderloop`, whole
 * milliseconds), captured from its log lines while installed. The benches that drive the
 * real window read their frame times here.
 */
namespace RenderLoopTiming {

/// Installs the message handler; other messages pass through. The caller enables the
/// category in its filter rules (`qt.scenegraph.time.renderloop=true`).
void install();
void uninstall();
/// Frame times (ms) since install() or the last clear().
QList<double> &frames();
void clear();

} // namespace RenderLoopTiming
