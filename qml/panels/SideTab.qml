import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/// A side panel tab: its title, an optional count badge, its shortcut in the tooltip.
TabButton {
    id: tab

    property int badge: 0
    property string shortcutHint: ""

    hoverEnabled: true
    Accessible.name: text
    ToolTip.text: qsTr("%1 (%2)").arg(text).arg(shortcutHint)
    ToolTip.visible: hovered && shortcutHint.length > 0
    ToolTip.delay: 600

    implicitWidth: row.implicitWidth + 24
    contentItem: Item {}

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 6
        Text {
            textFormat: Text.PlainText
            text: tab.text
            color: tab.checked ? Theme.accent : Theme.textMuted
            font.pixelSize: Theme.fontNormal
            font.weight: tab.checked ? Font.DemiBold : Font.Normal
        }
        Rectangle {
            visible: tab.badge > 0
            anchors.verticalCenter: parent.verticalCenter
            width: Math.max(16, badgeText.implicitWidth + 8)
            height: 16
            radius: 8
            color: Theme.fault
            Text {
                id: badgeText
                textFormat: Text.PlainText
                anchors.centerIn: parent
                text: tab.badge
                color: Theme.textOnAccent
                font.pixelSize: Theme.fontSmall - 1
                font.weight: Font.Bold
            }
        }
    }
    background: Rectangle {
        implicitHeight: 40
        color: tab.hovered && !tab.checked ? Theme.hover : "transparent"
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: tab.checked ? 2 : 1
            color: tab.checked ? Theme.accent : Theme.border
        }
    }
}
