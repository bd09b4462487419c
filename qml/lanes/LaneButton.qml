import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/// A small outlined button in a backend card, tinted with the state it leads to.
AbstractButton {
    id: button

    property color tone: Theme.accent

    implicitWidth: implicitContentWidth + 16
    implicitHeight: 24
    hoverEnabled: true
    Accessible.role: Accessible.Button

    // Callers set ToolTip.text; a plain-text tooltip shows it (ids appear in it).
    PlainToolTip {
        visible: button.hovered && text.length > 0
        text: button.ToolTip.text
        delay: 600
    }

    background: Rectangle {
        radius: Theme.radiusSmall
        color: !button.enabled ? "transparent" : button.down ? Theme.tint(button.tone, 0.28) : button.hovered ? Theme.tint(button.tone, 0.16) : Theme.tint(button.tone, 0.06)
        border.width: 1
        border.color: button.enabled ? Theme.tint(button.tone, 0.45) : Theme.border

        Behavior on color {
            ColorAnimation {
                duration: 120
            }
        }
    }
    contentItem: Text {
        textFormat: Text.PlainText
        text: button.text
        color: button.enabled ? button.tone : Theme.textFaint
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
}
