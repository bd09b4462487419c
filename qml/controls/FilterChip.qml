import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/// A checkable pill with a coloured dot, for filtering by kind.
AbstractButton {
    id: chip

    property color tone: Theme.accent
    property string glyph: ""

    checkable: true
    hoverEnabled: true
    implicitWidth: row.implicitWidth + 18
    contentItem: Item {}
    implicitHeight: 24
    Accessible.role: Accessible.CheckBox
    Accessible.checkable: true
    Accessible.checked: checked

    background: Rectangle {
        radius: height / 2
        color: chip.checked ? Theme.tint(chip.tone, 0.18) : chip.hovered ? Theme.hover : "transparent"
        border.width: 1
        border.color: chip.checked ? Theme.tint(chip.tone, 0.55) : Theme.border
        Behavior on color {
            ColorAnimation {
                duration: 120
            }
        }
    }
    Row {
        id: row
        anchors.centerIn: parent
        spacing: 5
        Text {
            textFormat: Text.PlainText
            anchors.verticalCenter: parent.verticalCenter
            text: chip.glyph
            color: chip.tone
            font.pixelSize: Theme.fontSmall
            font.weight: Font.Bold
        }
        Text {
            textFormat: Text.PlainText
            anchors.verticalCenter: parent.verticalCenter
            text: chip.text
            color: chip.checked ? Theme.text : Theme.textMuted
            font.pixelSize: Theme.fontSmall
            font.weight: chip.checked ? Font.DemiBold : Font.Normal
        }
    }
}
