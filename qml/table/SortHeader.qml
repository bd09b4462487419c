import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/// A column title that sorts the job table by its role; a second click flips the order.
AbstractButton {
    id: header

    property string role: ""
    property string sortRole: ""
    property bool ascending: true
    property bool alignRight: false
    readonly property bool active: role.length > 0 && role === sortRole

    hoverEnabled: true
    enabled: role.length > 0
    implicitHeight: 30
    Accessible.role: Accessible.ColumnHeader
    Accessible.name: qsTr("Sort by %1").arg(text)

    contentItem: Item {}
    background: Item {}

    Text {
        id: title
        textFormat: Text.PlainText
        anchors.verticalCenter: parent.verticalCenter
        x: header.alignRight ? parent.width - width - arrow.width - 16 : 0
        text: header.text
        color: header.active ? Theme.accent : header.hovered ? Theme.text : Theme.textMuted
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
        font.capitalization: Font.AllUppercase
        font.letterSpacing: 0.4
    }
    Text {
        id: arrow
        textFormat: Text.PlainText
        anchors.verticalCenter: parent.verticalCenter
        anchors.left: title.right
        anchors.leftMargin: 4
        visible: header.active
        text: header.ascending ? "▲" : "▼"
        color: Theme.accent
        font.pixelSize: Theme.fontSmall - 3
    }
}
