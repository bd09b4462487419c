import QtQuick
import Stickyboard.Ui

/// A labelled bar: what it measures on the left, the value on the right, the fill below.
Item {
    id: meter

    property string caption: ""
    property string valueText: ""
    /// 0…1; above 1 the bar is full and turns `overColor`.
    property real fraction: 0
    property color color: Theme.accent
    property color overColor: Theme.offline

    implicitWidth: 160
    implicitHeight: captionText.implicitHeight + 10

    Accessible.role: Accessible.ProgressBar
    Accessible.name: caption + ": " + valueText

    Text {
        id: captionText
        textFormat: Text.PlainText
        text: meter.caption
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
    Text {
        textFormat: Text.PlainText
        anchors.right: parent.right
        text: meter.valueText
        color: Theme.text
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
    }
    Rectangle {
        id: track
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 5
        radius: 2.5
        color: Theme.surfaceSunken

        Rectangle {
            height: parent.height
            radius: parent.radius
            width: parent.width * Math.max(0, Math.min(1, meter.fraction))
            color: meter.fraction > 1 ? meter.overColor : meter.color

            Behavior on width {
                SmoothedAnimation {
                    duration: 400
                    velocity: -1
                }
            }
            Behavior on color {
                ColorAnimation {
                    duration: Theme.animationMs
                }
            }
        }
    }
}
