import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/*
 * What you can do to one job, from a pet or a table row: make its next write(s) fail, or
 * look at it in the detail tab. One instance, reused: `openFor(job)` pops it at the pointer.
 */
Menu {
    id: menu
    objectName: "jobMenu"

    property string job: ""
    /// Asks for a count, then calls Faults.failNext(job, n).
    signal failNextRequested(string job)
    /// The job was chosen for the detail view.
    signal detailsRequested(string job)

    function openFor(jobId: string) {
        menu.job = jobId;
        menu.popup();
    }

    MenuItem {
        enabled: false
        text: menu.job
        font.weight: Font.Bold
    }
    MenuSeparator {}
    MenuItem {
        objectName: "jobMenuFailOne"
        text: qsTr("Fail next write")
        enabled: Faults.enabled
        Accessible.name: text
        onTriggered: Faults.failNext(menu.job, 1)
    }
    MenuItem {
        objectName: "jobMenuFailN"
        text: qsTr("Fail next N writes…")
        enabled: Faults.enabled
        Accessible.name: text
        onTriggered: menu.failNextRequested(menu.job)
    }
    MenuSeparator {}
    MenuItem {
        objectName: "jobMenuDetails"
        text: qsTr("Show details")
        Accessible.name: text
        onTriggered: {
            Selection.job = menu.job;
            menu.detailsRequested(menu.job);
        }
    }
}
