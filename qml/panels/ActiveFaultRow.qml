import QtQuick
import Stickyboard.Ui

/// One fault in force: its spec, its scope, how many failures are left and how often it hit.
Rectangle {
    id: row

    /// {spec, kind, scope, scopeId, remaining (-1: n/a), hits}
    required property var modelData

    readonly property string spec: String(modelData.spec ?? "")
    readonly property string scope: String(modelData.scope ?? "all")
    readonly property string scopeId: String(modelData.scopeId ?? "")
    readonly property int remaining: modelData.remaining ?? -1
    readonly property int hits: modelData.hits ?? 0

    objectName: "activeFault_" + spec
    implicitHeight: 48
    radius: Theme.radiusSmall
    color: Theme.surfaceAlt
    border.color: Theme.border
    Accessible.role: Accessible.ListItem
    Accessible.name: spec

    Rectangle {
        x: 0
        width: 3
        height: parent.height
        radius: 1.5
        color: Theme.fault
    }
    Text {
        textFormat: Text.PlainText
        x: 12
        y: 7
        width: parent.width - 24 - remainingText.implicitWidth
        text: row.spec
        color: Theme.text
        font.family: Theme.monoFamily
        font.pixelSize: Theme.fontNormal
        elide: Text.ElideRight
    }
    Text {
        textFormat: Text.PlainText
        x: 12
        y: 26
        text: (row.scope === "all" ? qsTr("all jobs") : row.scope + " " + row.scopeId) + " · " + (row.hits === 1 ? qsTr("1 hit") : qsTr("%1 hits").arg(row.hits))
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
    Text {
        id: remainingText
        textFormat: Text.PlainText
        anchors.right: parent.right
        anchors.rightMargin: 12
        anchors.verticalCenter: parent.verticalCenter
        visible: row.remaining >= 0
        text: qsTr("%1 left").arg(row.remaining)
        color: Theme.fault
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
    }
}
