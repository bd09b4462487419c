pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/*
 * The window: header counters on top; the backend lanes with their pets (or, for big
 * fleets, the job table) in the middle; faults, event log and job detail in a side panel.
 * Options the user picks are remembered through Settings.value/setValue.
 */
ApplicationWindow {
    id: window
    objectName: "mainWindow"
    width: 1280
    height: 800
    minimumWidth: 900
    minimumHeight: 560
    visible: true
    title: Run.modeLabel.length ? qsTr("Stickyboard — %1").arg(Run.modeLabel) : qsTr("Stickyboard")
    color: Theme.background

    /// "auto" (grid for big fleets) | "lanes" | "grid" | "split" (lanes above the table)
    property string viewMode: String(Settings.value("viewMode", "auto"))
    property bool sidePanelOpen: boolSetting("sidePanel", true)
    readonly property bool manyJobs: Counters.workerCount > 500 || Counters.jobCount > 2000
    readonly property bool showGrid: viewMode === "grid" || (viewMode === "auto" && manyJobs)

    function boolSetting(key: string, fallback: bool): bool {
        const value = Settings.value(key, fallback);
        return value === true || value === "true";
    }
    function setViewMode(mode: string) {
        window.viewMode = mode;
        Settings.setValue("viewMode", mode);
    }
    function setSidePanelOpen(open: bool) {
        window.sidePanelOpen = open;
        Settings.setValue("sidePanel", open);
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
    Toolbar {
        id: toolbar
        anchors.left: parent.left
        anchors.right: parent.right
        viewMode: window.viewMode
        sidePanelOpen: window.sidePanelOpen
        onViewModePicked: mode => window.setViewMode(mode)
        onSidePanelToggled: window.setSidePanelOpen(!window.sidePanelOpen)
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
        opacity: Watch.connectionState === "reconnecting" ? 0.55 : 1
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
        currentTab: Number(Settings.value("sideTab", 0))
        onCurrentTabChanged: Settings.setValue("sideTab", currentTab)
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
    WindowShortcuts {
        onFaultPanelToggled: {
            if (window.sidePanelOpen && side.currentTab === 0)
                window.setSidePanelOpen(false);
            else
                window.showTab(0);
        }
        onSearchRequested: {
            if (!window.showGrid)
                window.setViewMode("grid");
            jobTable.focusSearch();
        }
        onViewToggled: window.setViewMode(window.showGrid ? "lanes" : "grid")
        onTabRequested: tab => window.showTab(tab)
        onEscapePressed: {
            if (!window.closePopups())
                Selection.job = "";
        }
    }
}
