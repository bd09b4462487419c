import QtQuick
import Stickyboard.Ui

/// One number in the header: the value big, what it counts small underneath.
Item {
    id: counter

    property string caption: ""
    property string value: ""
    /// Coloured when it needs attention (retry pending, stale jobs > 0).
    property color tone: Theme.text
    property string tip: ""

    implicitWidth: Math.max(valueText.implicitWidth, captionText.implicitWidth)
    implicitHeight: valueText.implicitHeight + captionText.implicitHeight

    Accessible.role: Accessible.StaticText
    Accessible.name: caption + ": " + value

    Text {
        id: valueText
        textFormat: Text.PlainText
        text: counter.value
        color: counter.tone
        font.pixelSize: Theme.fontLarge + 1
        font.weight: Font.DemiBold

        Behavior on color {
            ColorAnimation {
                duration: Theme.animationMs
            }
        }
    }
    Text {
        id: captionText
        textFormat: Text.PlainText
        anchors.top: valueText.bottom
        text: counter.caption
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
}
