pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The window: header counters on top; the backend lanes with their pets (or, for big
 * fleets, the job table) in the middle; faults, event log and job detail in a side panel.
 * Options the user picks are remembered through Dashboard.setting/setSetting.
 */
ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1280
    height: 800
    minimumWidth: 900
    minimumHeight: 560
    visible: true
    title: Dashboard.modeLabel.length ? qsTr("Stickyboard — %1").arg(Dashboard.modeLabel) : qsTr("Stickyboard")
    color: Theme.background

    /// "auto" (grid for big fleets) | "lanes" | "grid" | "split" (lanes above the table)
    property string viewMode: String(Dashboard.setting("viewMode", "auto"))
    property bool sidePanelOpen: boolSetting("sidePanel", true)
    readonly property bool manyJobs: Dashboard.workerCount > 500 || Dashboard.jobCount > 2000
    readonly property bool showGrid: viewMode === "grid" || (viewMode === "auto" && manyJobs)

    function boolSetting(key: string, fallback: bool): bool {
        const value = Dashboard.setting(key, fallback);
        return value === true || value === "true";
    }
    function setViewMode(mode: string) {
        window.viewMode = mode;
        Dashboard.setSetting("viewMode", mode);
    }
    function setSidePanelOpen(open: bool) {
        window.sidePanelOpen = open;
        Dashboard.setSetting("sidePanel", open);
    }
    function showTab(tab: int) {
        side.currentTab = tab;
        setSidePanelOpen(true);
    }
    function closePopups(): bool {
        const open = jobMenu.visible || failNextPopup.visible;
        jobMenu.close();
        failNextPopup.close();
        return open;
    }

    palette {
        window: Theme.background
        windowText: Theme.text
        base: Theme.surface
        alternateBase: Theme.surfaceAlt
        text: Theme.text
        button: Theme.surfaceAlt
        buttonText: Theme.text
        brightText: Theme.textOnAccent
        highlight: Theme.accent
        highlightedText: Theme.textOnAccent
        placeholderText: Theme.textFaint
        toolTipBase: Theme.surface
        toolTipText: Theme.text
        light: Theme.dark ? "#353c4c" : "#ffffff"
        midlight: Theme.dark ? "#2c3240" : "#f1f2f5"
        mid: Theme.dark ? "#242935" : "#c9ced8"
        dark: Theme.dark ? "#101318" : "#a9afbb"
        shadow: Theme.dark ? "#000000" : "#6b7280"
        link: Theme.accent
    }

    header: HeaderBar {}

    // --- toolbar: view, simulation, theme, side panel --------------------------------------
    Rectangle {
        id: toolbar
        anchors.left: parent.left
        anchors.right: parent.right
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
                current: window.viewMode
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
                onPicked: value => window.setViewMode(value)
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
                text: window.sidePanelOpen ? qsTr("Hide panel ›") : qsTr("‹ Faults & log")
                flat: true
                Accessible.name: qsTr("Toggle the side panel")
                ToolTip.text: qsTr("Show or hide faults, events and details (F)")
                onClicked: window.setSidePanelOpen(!window.sidePanelOpen)
            }
        }
    }

    // Watch mode: never a stale picture without saying so.
    ConnectionBanner {
        id: connectionBanner
        anchors.left: parent.left
        anchors.right: side.left
        anchors.top: toolbar.bottom
        anchors.leftMargin: 9
        anchors.rightMargin: 9
        height: implicitHeight
    }

    // --- main area ----------------------------------------------------------------------------
    Item {
        id: views
        objectName: "mainViews"
        anchors.left: parent.left
        anchors.right: side.left
        anchors.top: connectionBanner.bottom
        anchors.topMargin: connectionBanner.shown ? 8 : 0
        // What is shown is the last read: dimmed until the watch is live again.
        opacity: Dashboard.connectionState === "reconnecting" ? 0.55 : 1
        anchors.bottom: parent.bottom
        anchors.leftMargin: 9
        anchors.rightMargin: window.sidePanelOpen ? 9 : 0
        anchors.bottomMargin: 9

        readonly property bool split: window.viewMode === "split"
        /// 0: lanes, 1: table (the one shown alone; in split mode both show)
        readonly property int currentIndex: window.showGrid ? 1 : 0

        LanesView {
            id: lanes
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            height: views.split ? Math.round(parent.height * 0.55) : parent.height
            visible: views.split || views.currentIndex === 0
            onJobMenuRequested: job => jobMenu.openFor(job)
            onJobSelected: window.showTab(2)
        }
        JobTable {
            id: jobTable
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            height: views.split ? parent.height - lanes.height - 9 : parent.height
            visible: views.split || views.currentIndex === 1
            onJobMenuRequested: job => jobMenu.openFor(job)
            onJobSelected: window.showTab(2)
        }
    }

    SidePanel {
        id: side
        anchors.right: parent.right
        anchors.top: toolbar.bottom
        anchors.bottom: parent.bottom
        anchors.rightMargin: 14
        anchors.bottomMargin: 14
        width: window.sidePanelOpen ? Math.min(420, Math.max(340, window.width * 0.3)) : 0
        visible: width > 0
        clip: true
        currentTab: Number(Dashboard.setting("sideTab", 0))
        onCurrentTabChanged: Dashboard.setSetting("sideTab", currentTab)
        onFailNextRequested: job => failNextPopup.openFor(job)

        Behavior on width {
            SmoothedAnimation {
                duration: 220
                velocity: -1
            }
        }
    }

    JobMenu {
        id: jobMenu
        onFailNextRequested: job => failNextPopup.openFor(job)
        onDetailsRequested: window.showTab(2)
    }
    FailNextPopup {
        id: failNextPopup
    }

    // --- keyboard ---------------------------------------------------------------------------
    Shortcut {
        objectName: "pauseShortcut"
        sequence: "Space"
        enabled: Dashboard.simulation
        onActivated: Dashboard.paused = !Dashboard.paused
    }
    Shortcut {
        objectName: "faultPanelShortcut"
        sequence: "F"
        onActivated: {
            if (window.sidePanelOpen && side.currentTab === 0)
                window.setSidePanelOpen(false);
            else
                window.showTab(0);
        }
    }
    Shortcut {
        objectName: "searchShortcut"
        sequence: "Ctrl+F"
        onActivated: {
            if (!window.showGrid)
                window.setViewMode("grid");
            jobTable.focusSearch();
        }
    }
    Shortcut {
        objectName: "clearFaultsShortcut"
        sequence: "Ctrl+Shift+X"
        onActivated: Dashboard.clearFaults()
    }
    Shortcut {
        objectName: "viewShortcut"
        sequence: "G"
        onActivated: window.setViewMode(window.showGrid ? "lanes" : "grid")
    }
    Shortcut {
        sequence: "Ctrl+1"
        onActivated: window.showTab(0)
    }
    Shortcut {
        sequence: "Ctrl+2"
        onActivated: window.showTab(1)
    }
    Shortcut {
        sequence: "Ctrl+3"
        onActivated: window.showTab(2)
    }
    Shortcut {
        objectName: "escapeShortcut"
        sequence: "Esc"
        onActivated: {
            if (!window.closePopups())
                Dashboard.selectedJob = "";
        }
    }
}
