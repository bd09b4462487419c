import QtQuick
import Stickyboard.Ui

/// One point on a job's timeline: a dot on the rail, what happened, and when.
Item {
    id: entry

    required property int index
    required property real time
    required property string kind
    required property string from
    required property string to
    required property string cacheKey
    required property string error
    required property real duration
    /// The last entry draws no rail below its dot.
    property bool last: false

    readonly property color tone: Theme.kindColor(kind)
    readonly property string title: {
        switch (kind) {
        case "switch":
            if (Run.mode === "watch")
                return qsTr("table: %1 → %2").arg(from).arg(to);
            return from.length ? qsTr("switched %1 → %2").arg(from).arg(to) : qsTr("placed on %1").arg(to);
        case "resolved":
            return qsTr("resolved to %1").arg(to);
        case "failure":
            return to.length ? qsTr("write to %1 failed").arg(to) : qsTr("write failed");
        // Watch mode's history: the gateway's side beside the table's.
        case "observed":
            return qsTr("gateway served it on %1").arg(to);
        case "stale":
            return qsTr("table stale: holds %1, runs on %2").arg(from || "—").arg(to);
        case "recovered":
            return qsTr("table caught up after %1 s").arg(Math.round(duration / 1000));
        }
        return kind;
    }

    implicitHeight: Math.max(52, details.y + details.implicitHeight + 12)
    Accessible.role: Accessible.ListItem
    Accessible.name: title

    Rectangle {
        id: rail
        x: 20
        y: entry.index === 0 ? 18 : 0
        width: 2
        height: entry.last ? 18 - y : entry.height - y
        color: Theme.border
    }
    Rectangle {
        x: 20 - 6 + 1
        y: 12
        width: 12
        height: 12
        radius: 6
        color: entry.kind === "failure" ? Theme.surface : entry.tone
        border.width: 2
        border.color: entry.tone
    }
    Text {
        id: titleText
        textFormat: Text.PlainText
        x: 40
        y: 8
        width: entry.width - x - timeText.implicitWidth - 16
        text: entry.title
        color: entry.kind === "failure" ? Theme.offline : Theme.text
        font.pixelSize: Theme.fontNormal
        font.weight: Font.DemiBold
        elide: Text.ElideRight
    }
    Text {
        id: timeText
        textFormat: Text.PlainText
        anchors.right: parent.right
        anchors.rightMargin: 8
        y: 10
        text: Theme.formatTimeMs(entry.time)
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        font.family: Theme.monoFamily
    }
    Text {
        id: details
        textFormat: Text.PlainText
        x: 40
        y: titleText.y + titleText.implicitHeight + 3
        width: entry.width - x - 8
        text: entry.kind === "failure" ? entry.error : (entry.cacheKey.length ? qsTr("cache key %1").arg(entry.cacheKey) : "")
        visible: text.length > 0
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
        maximumLineCount: 3
        elide: Text.ElideRight
    }
}
