pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * One observation input (a followed gateway log, POST /events, POST /ingest/litellm) and its
 * health: lines read, rate, bad lines, the last line's time, and whether it has gone quiet.
 */
Rectangle {
    id: input

    /// Watch.inputs entry: {name, kind, lines, badLines, lastLineMs, linesPerSecond, quiet}
    required property var modelData

    objectName: "observationInput_" + modelData.name
    implicitHeight: column.implicitHeight + 12
    radius: Theme.radiusSmall
    color: modelData.quiet ? Theme.tint(Theme.saturated, 0.12) : Theme.surfaceAlt
    border.color: modelData.quiet ? Theme.tint(Theme.saturated, 0.45) : Theme.border
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("%1: %2").arg(modelData.name).arg(summary.text)

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 6
        anchors.leftMargin: 10
        spacing: 2
        Text {
            textFormat: Text.PlainText
            text: input.modelData.name
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
            elide: Text.ElideMiddle
            Layout.fillWidth: true
        }
        Text {
            id: summary
            objectName: "observationInputSummary"
            textFormat: Text.PlainText
            readonly property real last: input.modelData.lastLineMs
            text: {
                const rate = input.modelData.linesPerSecond;
                const parts = [qsTr("%L1 lines").arg(input.modelData.lines), rate < 10 ? qsTr("%1/s").arg(rate.toFixed(1)) : qsTr("%L1/s").arg(Math.round(rate)), qsTr("%L1 bad").arg(input.modelData.badLines)];
                parts.push(last > 0 ? qsTr("last %1").arg(Theme.formatTime(last)) : qsTr("no line yet"));
                if (input.modelData.quiet)
                    parts.push(last > 0 ? qsTr("quiet for %1").arg(Watch.ageText(last)) : qsTr("quiet"));
                return parts.join(" · ");
            }
            color: input.modelData.quiet ? Theme.text : Theme.textMuted
            font.pixelSize: Theme.fontSmall - 1
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
