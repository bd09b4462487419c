import QtQuick
import Stickyboard.Ui

/// Whether the job's latest request reused the backend's KV cache.
Rectangle {
    id: badge

    property bool hit: false
    property string cacheKey: ""

    readonly property string label: hit ? qsTr("cache hit") : qsTr("cache miss")
    readonly property color tone: hit ? Theme.online : Theme.neutral

    implicitWidth: label.length ? caption.implicitWidth + 22 : 0
    implicitHeight: 20
    radius: height / 2
    color: Theme.tint(tone, hit ? 0.12 : 0.08)

    Rectangle {
        x: 7
        width: 6
        height: 6
        radius: 3
        anchors.verticalCenter: parent.verticalCenter
        color: badge.tone
    }
    Text {
        id: caption
        textFormat: Text.PlainText
        x: 16
        anchors.verticalCenter: parent.verticalCenter
        text: badge.label
        color: badge.hit ? Theme.online : Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
}
