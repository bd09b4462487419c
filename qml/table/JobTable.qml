pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * Every job as a row, for fleets too big for pets: a filter row (text, backend, persist
 * state), sortable column headers, and a virtualized list over Fleet.jobTable. Sorting
 * and filtering happen in C++ (JobFilterModel); this only sets them.
 */
Rectangle {
    id: table
    objectName: "jobTable"

    signal jobMenuRequested(string job)
    signal jobSelected(string job)

    /// Watch mode writes nothing: instead of failed writes, how long the row has lagged.
    readonly property bool watching: Run.mode === "watch"
    readonly property var titles: [qsTr("Job"), qsTr("Worker"), watching ? qsTr("Table") : qsTr("Backend"), qsTr("Runs on"), qsTr("Cache"), qsTr("Persist"), watching ? qsTr("Stale for") : qsTr("Failures"), qsTr("Last switch")]
    readonly property var roles: ["jobId", "worker", "backend", "observed", "cacheHit", "persistState", watching ? "staleSince" : "totalFailures", "lastSwitch"]
    readonly property var baseWidths: [150, 120, 108, 108, 100, 230, 76, 96]
    /// The persist column takes what is left over; when the table is narrower than the
    /// columns, every column gives up the same share.
    readonly property var columnW: {
        const w = baseWidths.slice();
        const used = w.reduce((a, b) => a + b, 0);
        const room = list.width - 28;
        if (room >= used) {
            w[5] += room - used;
            return w;
        }
        const scale = Math.max(0.6, room / used);
        return w.map(x => Math.floor(x * scale));
    }
    readonly property var columnX: {
        const x = [];
        let at = 14;
        for (let i = 0; i < columnW.length; ++i) {
            x.push(at);
            at += columnW[i];
        }
        return x;
    }
    readonly property string sortRole: Fleet.jobTable ? Fleet.jobTable.sortRoleName : ""
    readonly property bool sortAscending: Fleet.jobTable ? Fleet.jobTable.sortAscending : true
    readonly property alias searchField: search

    function focusSearch() {
        search.forceActiveFocus();
        search.selectAll();
    }
    function sortBy(role: string) {
        const ascending = role === table.sortRole ? !table.sortAscending : true;
        Fleet.jobTable.sortBy(role, ascending);
    }

    color: Theme.surface
    radius: Theme.radius
    border.color: Theme.border
    clip: true
    Accessible.role: Accessible.Table
    Accessible.name: qsTr("Jobs table")

    // --- filter row ----------------------------------------------------------------------
    RowLayout {
        id: filters
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: 12
        spacing: 10

        TextField {
            id: search
            objectName: "jobSearch"
            placeholderText: qsTr("Search job or worker…  (Ctrl+F)")
            Layout.preferredWidth: 280
            selectByMouse: true
            Accessible.name: qsTr("Search jobs")
            onTextChanged: Fleet.jobTable.text = text
            Keys.onEscapePressed: text = ""
        }
        ComboBox {
            id: backendFilter
            objectName: "backendFilter"
            model: [qsTr("All backends"), ...(Fleet.backends ? Fleet.backends.ids : [])]
            Layout.preferredWidth: 150
            Accessible.name: qsTr("Filter by backend")
            onActivated: index => Fleet.jobTable.backend = index <= 0 ? "" : backendFilter.textAt(index)
        }
        ComboBox {
            id: stateFilter
            objectName: "stateFilter"
            // Watch mode writes nothing: a row is in step, pending (its write may still land)
            // or stale.
            readonly property var states: table.watching ? ["", "saved", "pending", "stale"] : ["", "saved", "saving", "retry pending", "stale", "failing"]
            model: table.watching ? [qsTr("Any state"), qsTr("in step"), qsTr("saving (pending)"), qsTr("db stale")] : [qsTr("Any state"), qsTr("saved"), qsTr("saving"), qsTr("retry pending"), qsTr("db stale"), qsTr("failing")]
            Layout.preferredWidth: 150
            Accessible.name: qsTr("Filter by persist state")
            onActivated: index => Fleet.jobTable.state = stateFilter.states[index]
        }
        Item {
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "jobTableCount"
            readonly property bool filtered: Fleet.jobTable.text.length > 0 || Fleet.jobTable.backend.length > 0 || Fleet.jobTable.state.length > 0
            text: filtered ? qsTr("%L1 of %L2 jobs").arg(list.count).arg(Math.max(list.count, Counters.jobCount)) : qsTr("%L1 jobs").arg(list.count)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
    }

    // --- column headers ----------------------------------------------------------------------
    Rectangle {
        id: headerRow
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: filters.bottom
        anchors.topMargin: 10
        height: 32
        color: Theme.surfaceSunken

        Repeater {
            model: table.titles.length
            delegate: SortHeader {
                required property int index
                objectName: "sortHeader_" + table.roles[index]
                x: table.columnX[index]
                width: table.columnW[index]
                height: headerRow.height
                text: table.titles[index]
                role: table.roles[index]
                sortRole: table.sortRole
                ascending: table.sortAscending
                alignRight: index === 6
                onClicked: table.sortBy(role)
            }
        }
        Rectangle {
            anchors.bottom: parent.bottom
            width: parent.width
            height: 1
            color: Theme.border
        }
    }

    ListView {
        id: list
        objectName: "jobTableList"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: headerRow.bottom
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 6
        clip: true
        model: Fleet.jobTable
        reuseItems: true
        cacheBuffer: 200
        boundsBehavior: Flickable.StopAtBounds
        Accessible.name: qsTr("Jobs")
        ScrollBar.vertical: ScrollBar {
            minimumSize: 0.04
        }

        delegate: JobTableRow {
            width: list.width
            watching: table.watching
            columnX: table.columnX
            columnW: table.columnW
            compact: table.columnW[5] < 220
            onClicked: job => {
                Selection.job = job;
                table.jobSelected(job);
            }
            onMenuRequested: job => table.jobMenuRequested(job)
        }

        Text {
            textFormat: Text.PlainText
            anchors.centerIn: parent
            visible: list.count === 0
            text: Counters.jobCount === 0 ? qsTr("No jobs yet") : qsTr("No job matches the filter")
            color: Theme.textMuted
            font.pixelSize: Theme.fontNormal
        }
    }
}
