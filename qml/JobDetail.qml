pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The selected job: where the database says it is and where it really runs, its cache key
 * and persist state, and its timeline (persisted switches and failed attempts) from
 * Dashboard.history, loaded page by page as you scroll.
 */
Item {
    id: detail
    objectName: "jobDetail"

    readonly property var info: Dashboard.selectedJobState
    readonly property bool hasJob: Dashboard.selectedJob.length > 0

    signal failNextRequested(string job)

    Accessible.role: Accessible.Pane
    Accessible.name: hasJob ? qsTr("Details of job %1").arg(Dashboard.selectedJob) : qsTr("Job details")

    Column {
        anchors.centerIn: parent
        visible: !detail.hasJob
        spacing: 6
        Text {
            textFormat: Text.PlainText
            anchors.horizontalCenter: parent.horizontalCenter
            text: "🐾"
            font.pixelSize: 30
            opacity: 0.5
        }
        Text {
            textFormat: Text.PlainText
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("No job selected")
            color: Theme.textMuted
            font.pixelSize: Theme.fontLarge
        }
        Text {
            textFormat: Text.PlainText
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Click a pet, a row or an event.")
            color: Theme.textFaint
            font.pixelSize: Theme.fontSmall
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12
        visible: detail.hasJob

        // --- identity ------------------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            ColumnLayout {
                spacing: 2
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    objectName: "detailJobId"
                    text: Dashboard.selectedJob
                    color: Theme.text
                    font.pixelSize: Theme.fontLarge + 2
                    font.weight: Font.Bold
                    font.family: Theme.monoFamily
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("worker %1").arg(detail.info.worker ?? "—")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    font.family: Theme.monoFamily
                }
            }
            ToolButton {
                objectName: "detailClose"
                text: "✕"
                Accessible.name: qsTr("Clear selection")
                ToolTip.text: qsTr("Clear selection (Esc)")
                ToolTip.visible: hovered
                ToolTip.delay: 500
                onClicked: Dashboard.selectedJob = ""
            }
        }

        // --- state card ----------------------------------------------------------------
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: facts.implicitHeight + 24
            radius: Theme.radius
            color: Theme.surfaceAlt
            border.color: (detail.info.stale ?? false) ? Theme.tint(Theme.stale, 0.6) : Theme.border

            GridLayout {
                id: facts
                anchors.fill: parent
                anchors.margins: 12
                columns: 2
                rowSpacing: 8
                columnSpacing: 12

                Text {
                    textFormat: Text.PlainText
                    text: qsTr("database")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                BackendChip {
                    objectName: "detailCurrent"
                    backend: String(detail.info.current ?? "")
                }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("runs on")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                BackendChip {
                    objectName: "detailObserved"
                    backend: String(detail.info.observed ?? "")
                    ghost: detail.info.stale ?? false
                }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("persist")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                PersistBadge {
                    objectName: "detailPersistBadge"
                    persistState: String(detail.info.persistState ?? "")
                    failures: detail.info.failures ?? 0
                    stale: detail.info.stale ?? false
                }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("cache key")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                Text {
                    textFormat: Text.PlainText
                    text: String(detail.info.cacheKey ?? "") || "—"
                    color: Theme.text
                    font.pixelSize: Theme.fontSmall
                    font.family: Theme.monoFamily
                    elide: Text.ElideMiddle
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("failures")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "detailFailures"
                    text: qsTr("%1 in a row · %2 in all").arg(detail.info.failures ?? 0).arg(detail.info.totalFailures ?? 0)
                    color: (detail.info.failures ?? 0) > 0 ? Theme.offline : Theme.text
                    font.pixelSize: Theme.fontSmall
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            ActionButton {
                objectName: "detailFailOne"
                tone: Theme.fault
                text: qsTr("Fail next write")
                enabled: Dashboard.faultsEnabled
                Accessible.name: text
                onClicked: Dashboard.failNext(Dashboard.selectedJob, 1)
            }
            ActionButton {
                objectName: "detailFailN"
                tone: Theme.fault
                text: qsTr("Fail next N…")
                enabled: Dashboard.faultsEnabled
                Accessible.name: qsTr("Fail next N writes")
                onClicked: detail.failNextRequested(Dashboard.selectedJob)
            }
        }

        // --- timeline ------------------------------------------------------------------
        RowLayout {
            Layout.fillWidth: true
            Layout.topMargin: 4
            Text {
                textFormat: Text.PlainText
                text: qsTr("Timeline")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                font.weight: Font.DemiBold
            }
            Item {
                Layout.fillWidth: true
            }
            BusyIndicator {
                running: Dashboard.history ? Dashboard.history.loading : false
                visible: running
                implicitWidth: 20
                implicitHeight: 20
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "historyError"
            visible: text.length > 0
            text: Dashboard.history ? Dashboard.history.error : ""
            color: Theme.offline
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        ListView {
            id: timeline
            objectName: "historyList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Dashboard.history
            boundsBehavior: Flickable.StopAtBounds
            Accessible.name: qsTr("Timeline")
            ScrollBar.vertical: ScrollBar {}

            delegate: TimelineEntry {
                width: timeline.width
                last: index === timeline.count - 1
            }

            // Older entries come from the database a page at a time.
            onAtYEndChanged: {
                if (atYEnd && model && model.canFetchMore(model.index(-1, -1)))
                    model.fetchMore(model.index(-1, -1));
            }

            Text {
                textFormat: Text.PlainText
                anchors.horizontalCenter: parent.horizontalCenter
                y: 20
                visible: timeline.count === 0 && !(Dashboard.history && Dashboard.history.loading)
                text: qsTr("No switches or failures yet")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
            }
        }
    }
}
