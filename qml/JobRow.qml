pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: row

    required property int index
    required property string jobId
    required property string worker
    required property string backend
    required property string observed
    required property bool cacheHit
    required property bool stale
    required property string persistState
    required property int failures

    implicitHeight: 36
    radius: 6
    color: row.index % 2 ? palette.alternateBase : palette.base
    border.color: row.stale ? "#d9822b" : "transparent"

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 16

        Label {
            text: row.jobId
            font.bold: true
            Layout.preferredWidth: 140
            elide: Text.ElideRight
        }
        Label {
            text: row.worker
            opacity: 0.7
            Layout.preferredWidth: 90
            elide: Text.ElideRight
        }
        Label {
            text: row.backend.length ? row.backend : qsTr("—")
            Layout.preferredWidth: 120
        }
        Label {
            visible: row.stale
            text: qsTr("runs on %1 (database stale)").arg(row.observed)
            color: "#d9822b"
            Layout.preferredWidth: 240
        }
        Item {
            Layout.fillWidth: true
        }
        Label {
            text: row.cacheHit ? qsTr("cache hit") : qsTr("cache miss")
            opacity: 0.8
        }
        Label {
            text: row.failures > 0 ? qsTr("%1 · %2 failures").arg(row.persistState).arg(row.failures) : row.persistState
            color: row.persistState === "retry pending" ? "#c0392b" : palette.text
            Layout.preferredWidth: 170
            horizontalAlignment: Text.AlignRight
        }
    }
}
