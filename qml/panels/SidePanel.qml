import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/// The right-hand drawer: fault panel, event log and job detail as tabs (Ctrl+1/2/3).
Rectangle {
    id: panel
    objectName: "sidePanel"

    property alias currentTab: tabs.currentIndex
    readonly property alias faultPanel: faults
    readonly property alias eventLog: events
    readonly property alias jobDetail: detail

    signal failNextRequested(string job)

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Side panel")

    TabBar {
        id: tabs
        objectName: "sideTabs"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.margins: 1
        anchors.topMargin: 4
        background: Item {}
        Accessible.name: qsTr("Side panel tabs")

        SideTab {
            objectName: "faultsTab"
            text: Run.mode === "watch" ? qsTr("Watch") : qsTr("Faults")
            badge: Faults.active.length
            shortcutHint: "Ctrl+1"
        }
        SideTab {
            objectName: "eventsTab"
            text: qsTr("Events")
            shortcutHint: "Ctrl+2"
        }
        SideTab {
            objectName: "detailTab"
            text: qsTr("Details")
            shortcutHint: "Ctrl+3"
        }
    }

    StackLayout {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: tabs.bottom
        anchors.bottom: parent.bottom
        anchors.margins: 1
        currentIndex: tabs.currentIndex

        FaultPanel {
            id: faults
        }
        EventLogView {
            id: events
            onJobSelected: tabs.currentIndex = 2
        }
        JobDetail {
            id: detail
            onFailNextRequested: job => panel.failNextRequested(job)
        }
    }
}
