pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The selected job: where the database says it is and where it really runs, its cache key
 * and persist state, and its timeline (persisted switches and failed attempts) from
 * Selection.history, loaded page by page as you scroll.
 */
Item {
    id: detail
    objectName: "jobDetail"

    readonly property var info: Selection.state
    readonly property bool hasJob: Selection.job.length > 0

    signal failNextRequested(string job)

    Accessible.role: Accessible.Pane
    Accessible.name: hasJob ? qsTr("Details of job %1").arg(Selection.job) : qsTr("Job details")

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
                    text: Selection.job
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
                onClicked: Selection.job = ""
            }
        }

        // --- state card ----------------------------------------------------------------
        JobDetailState {
            info: detail.info
            Layout.fillWidth: true
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            ActionButton {
                objectName: "detailFailOne"
                tone: Theme.fault
                text: qsTr("Fail next write")
                enabled: Faults.enabled
                Accessible.name: text
                onClicked: Faults.failNext(Selection.job, 1)
            }
            ActionButton {
                objectName: "detailFailN"
                tone: Theme.fault
                text: qsTr("Fail next N…")
                enabled: Faults.enabled
                Accessible.name: qsTr("Fail next N writes")
                onClicked: detail.failNextRequested(Selection.job)
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
                running: Selection.history ? Selection.history.loading : false
                visible: running
                implicitWidth: 20
                implicitHeight: 20
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "historyError"
            visible: text.length > 0
            text: Selection.history ? Selection.history.error : ""
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
            model: Selection.history
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
                visible: timeline.count === 0 && !(Selection.history && Selection.history.loading)
                text: qsTr("No switches or failures yet")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
            }
        }
    }
}
