pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1280
    height: 800
    visible: true
    title: qsTr("Stickyboard — %1").arg(Dashboard.mode)

    header: HeaderBar {}

    ListView {
        id: jobList
        objectName: "jobList"
        anchors.fill: parent
        anchors.margins: 12
        clip: true
        spacing: 4
        model: Dashboard.jobs
        reuseItems: true
        Accessible.name: qsTr("Jobs")
        ScrollBar.vertical: ScrollBar {}

        delegate: JobRow {
            width: jobList.width
        }

        Label {
            anchors.centerIn: parent
            visible: jobList.count === 0
            text: qsTr("No jobs yet")
            opacity: 0.6
        }
    }
}
