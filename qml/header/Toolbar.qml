pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * Below the header: the view switch, the simulation's controls, the theme switch and the
 * side panel's toggle.
 */
Rectangle {
    id: toolbar

    /// "auto" | "lanes" | "grid" | "split", as Main.viewMode.
    required property string viewMode
    required property bool sidePanelOpen

    signal viewModePicked(string mode)
    signal sidePanelToggled

    height: 50
    color: Theme.background

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 14
        anchors.rightMargin: 14
        spacing: 14

        Segmented {
            objectName: "viewSwitch"
            namePrefix: "view"
            current: toolbar.viewMode
            options: [{
                    "value": "auto",
                    "label": qsTr("Auto"),
                    "tip": qsTr("Lanes for small fleets, the table past 500 workers or 2,000 jobs")
                }, {
                    "value": "lanes",
                    "label": qsTr("Lanes"),
                    "tip": qsTr("Backend lanes with pets (G toggles)")
                }, {
                    "value": "grid",
                    "label": qsTr("Table"),
                    "tip": qsTr("Every job as a row (G toggles)")
                }, {
                    "value": "split",
                    "label": qsTr("Both"),
                    "tip": qsTr("Lanes above, the job table below")
                }]
            Accessible.name: qsTr("View")
            onPicked: value => toolbar.viewModePicked(value)
        }

        SimControls {}

        Item {
            Layout.fillWidth: true
        }

        Segmented {
            objectName: "themeSwitch"
            namePrefix: "theme"
            current: Theme.mode
            options: [{
                    "value": "system",
                    "label": qsTr("System"),
                    "tip": qsTr("Follow the system's light or dark look")
                }, {
                    "value": "light",
                    "label": qsTr("Light"),
                    "tip": qsTr("Light theme")
                }, {
                    "value": "dark",
                    "label": qsTr("Dark"),
                    "tip": qsTr("Dark theme")
                }]
            Accessible.name: qsTr("Theme")
            onPicked: value => Theme.setMode(value)
        }

        ActionButton {
            objectName: "sidePanelToggle"
            text: toolbar.sidePanelOpen ? qsTr("Hide panel ›") : qsTr("‹ Faults & log")
            flat: true
            Accessible.name: qsTr("Toggle the side panel")
            ToolTip.text: qsTr("Show or hide faults, events and details (F)")
            onClicked: toolbar.sidePanelToggled()
        }
    }
}
