import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

ToolBar {
    id: bar
    objectName: "headerBar"

    component Counter: ColumnLayout {
        id: counter
        required property string caption
        required property string value
        spacing: 0
        Label {
            text: counter.value
            font.pixelSize: 18
            font.bold: true
        }
        Label {
            text: counter.caption
            opacity: 0.65
            font.pixelSize: 11
        }
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 12
        spacing: 24

        ColumnLayout {
            spacing: 0
            Label {
                text: qsTr("Stickyboard")
                font.pixelSize: 20
                font.bold: true
            }
            Label {
                text: qsTr("%1 · %2").arg(Dashboard.mode).arg(Dashboard.database)
                opacity: 0.65
                font.pixelSize: 11
                elide: Text.ElideMiddle
                Layout.maximumWidth: 360
            }
        }
        Item {
            Layout.fillWidth: true
        }
        Counter {
            caption: qsTr("jobs")
            value: Dashboard.jobCount
        }
        Counter {
            caption: qsTr("events/s")
            value: Math.round(Dashboard.eventsPerSecond)
        }
        Counter {
            caption: qsTr("switches")
            value: Dashboard.switches
        }
        Counter {
            caption: qsTr("writes ok / failed")
            value: Dashboard.writesOk + " / " + Dashboard.writesFailed
        }
        Counter {
            caption: qsTr("retry pending")
            value: Dashboard.retryPending
        }
        Counter {
            caption: qsTr("stale jobs")
            value: Dashboard.staleJobs
        }
    }
}
