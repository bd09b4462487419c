#include "RenderLoopTiming.h"

#include <QRegularExpression>

namespace {

QList<double> g_frames;
QtMessageHandler g_previousHandler = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    // Software: "Frame rendered with 'software' renderloop in 3ms, polish=0, sync=0, …";
    // basic/threaded: "[window …] syncAndRender: frame rendered in 3ms, …".
    static const QRegularExpression frame(
        QStringLiteral("rendered (?:with '\\w+' renderloop )?in (\\d+)ms"),
        QRegularExpression::CaseInsensitiveOption);
    if (context.category && qstrcmp(context.category, "qt.scenegraph.time.renderloop") == 0) {
        const QRegularExpressionMatch m = frame.match(message);
        if (m.hasMatch())
            g_frames.append(m.captured(1).toDouble());
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

namespace RenderLoopTiming {

void install()
{
    g_previousHandler = qInstallMessageHandler(capture);
}

void uninstall()
{
    qInstallMessageHandler(g_previousHandler);
}

QList<double> &frames()
{
    return g_frames;
}

void clear()
{
    g_frames.clear();
}

} // namespace RenderLoopTiming
