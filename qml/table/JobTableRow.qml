pragma ComponentBehavior: Bound
import QtQuick
import Stickyboard.Ui

/*
 * One job in the table. Kept cheap on purpose (100,000 rows scroll through a few dozen of
 * these): plain Text and Rectangles placed at the table's column offsets, no Layouts.
 */
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
    required property int totalFailures
    required property real lastSwitch
    required property real staleSince

    /// Column offsets and widths, shared by the header.
    property var columnX: []
    property var columnW: []
    /// Shorter badges for narrow tables.
    property bool compact: false
    /// Watch mode: the failures column shows how long the row has lagged instead.
    property bool watching: false
    readonly property bool selected: Selection.job === jobId

    signal clicked(string job)
    signal menuRequested(string job)

    objectName: "jobRow_" + jobId
    implicitHeight: 34
    color: selected ? Theme.selection : pointer.containsMouse ? Theme.hover : (index % 2 ? Theme.surfaceAlt : Theme.surface)
    Accessible.role: Accessible.Row
    Accessible.name: qsTr("Job %1 on %2, %3").arg(jobId).arg(backend).arg(persistState)

    Rectangle {
        visible: row.stale || row.persistState === "retry pending"
        width: 3
        height: parent.height
        color: row.persistState === "retry pending" ? Theme.offline : Theme.stale
    }

    Text {
        textFormat: Text.PlainText
        x: row.columnX[0]
        width: row.columnW[0] - 8
        anchors.verticalCenter: parent.verticalCenter
        text: row.jobId
        color: Theme.text
        font.pixelSize: Theme.fontNormal
        font.weight: Font.DemiBold
        font.family: Theme.monoFamily
        elide: Text.ElideRight
    }
    Text {
        textFormat: Text.PlainText
        x: row.columnX[1]
        width: row.columnW[1] - 8
        anchors.verticalCenter: parent.verticalCenter
        text: row.worker
        color: Theme.textMuted
        font.pixelSize: Theme.fontNormal
        font.family: Theme.monoFamily
        elide: Text.ElideRight
    }
    BackendChip {
        x: row.columnX[2]
        anchors.verticalCenter: parent.verticalCenter
        backend: row.backend
    }
    BackendChip {
        x: row.columnX[3]
        anchors.verticalCenter: parent.verticalCenter
        backend: row.observed
        ghost: row.stale
        opacity: row.stale ? 1 : 0.7
    }
    CacheBadge {
        x: row.columnX[4]
        anchors.verticalCenter: parent.verticalCenter
        hit: row.cacheHit
    }
    PersistBadge {
        objectName: "persistBadge_" + row.jobId
        x: row.columnX[5]
        anchors.verticalCenter: parent.verticalCenter
        persistState: row.persistState
        failures: row.failures
        stale: row.stale
        compact: row.compact
    }
    Text {
        textFormat: Text.PlainText
        x: row.columnX[6]
        width: row.columnW[6] - 16
        anchors.verticalCenter: parent.verticalCenter
        horizontalAlignment: Text.AlignRight
        text: !row.watching ? row.totalFailures : row.staleSince > 0 && Watch.now > 0 ? Watch.ageText(row.staleSince) : "—"
        color: (row.watching ? row.stale : row.totalFailures > 0) ? Theme.offline : Theme.textFaint
        font.pixelSize: Theme.fontNormal
    }
    Text {
        textFormat: Text.PlainText
        x: row.columnX[7]
        width: row.columnW[7] - 8
        anchors.verticalCenter: parent.verticalCenter
        text: Theme.formatTime(row.lastSwitch)
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        font.family: Theme.monoFamily
    }

    MouseArea {
        id: pointer
        anchors.fill: parent
        hoverEnabled: true
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        onClicked: event => {
            if (event.button === Qt.RightButton)
                row.menuRequested(row.jobId);
            else
                row.clicked(row.jobId);
        }
    }
}
