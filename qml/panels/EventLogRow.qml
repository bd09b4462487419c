import QtQuick
import Stickyboard.Ui

/// One event log entry: a coloured kind icon, the sentence, and when / which job underneath.
Rectangle {
    id: row

    required property int index
    required property real time
    required property string kindName
    required property string job
    required property string worker
    required property string message

    signal jobClicked(string job)

    readonly property color tone: Theme.kindColor(kindName)

    implicitHeight: 46
    color: pointer.containsMouse ? Theme.hover : "transparent"
    Accessible.role: Accessible.ListItem
    Accessible.name: message

    Rectangle {
        id: icon
        x: 10
        anchors.verticalCenter: parent.verticalCenter
        width: 26
        height: 26
        radius: 13
        color: Theme.tint(row.tone, 0.16)
        Text {
            textFormat: Text.PlainText
            anchors.centerIn: parent
            text: Theme.kindGlyph(row.kindName)
            color: row.tone
            font.pixelSize: Theme.fontNormal
            font.weight: Font.Bold
        }
    }
    Text {
        textFormat: Text.PlainText
        x: icon.x + icon.width + 10
        y: 6
        width: row.width - x - 12
        text: row.message
        color: Theme.text
        font.pixelSize: Theme.fontNormal - 1
        elide: Text.ElideRight
    }
    Text {
        textFormat: Text.PlainText
        x: icon.x + icon.width + 10
        y: 25
        width: row.width - x - 12
        text: Theme.formatTimeMs(row.time) + (row.job.length && row.message.indexOf(row.job) < 0 ? "  ·  " + row.job : "") + (row.worker.length ? "  ·  " + row.worker : "")
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        font.family: Theme.monoFamily
        elide: Text.ElideRight
    }
    Rectangle {
        anchors.bottom: parent.bottom
        x: 46
        width: parent.width - 46
        height: 1
        color: Theme.border
        opacity: 0.6
    }
    MouseArea {
        id: pointer
        anchors.fill: parent
        hoverEnabled: true
        enabled: row.job.length > 0
        onClicked: row.jobClicked(row.job)
    }
}
