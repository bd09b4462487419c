pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The event log, newest first: kind chips and a job/worker text filter on top (both set
 * Fleet.eventLog's filter; the filtering is C++), a virtualized list below.
 */
Item {
    id: view
    objectName: "eventLogView"

    signal jobSelected(string job)

    // Watch mode writes nothing (no failures, no faults) but sees rows go stale.
    readonly property var kinds: Run.mode === "watch" ? ["switch", "stale", "recovery", "backend", "resolved"] : ["switch", "failure", "recovery", "fault", "backend", "resolved"]
    readonly property var kindLabels: Run.mode === "watch" ? [qsTr("switches"), qsTr("stale"), qsTr("recoveries"), qsTr("backends"), qsTr("resolved")] : [qsTr("switches"), qsTr("failures"), qsTr("recoveries"), qsTr("faults"), qsTr("backends"), qsTr("resolved")]
    /// Kinds whose chip is checked; none checked = all kinds.
    property var checkedKinds: []

    function toggleKind(kind: string, on: bool) {
        const next = checkedKinds.filter(k => k !== kind);
        if (on)
            next.push(kind);
        checkedKinds = next;
        Fleet.eventLog.kinds = next;
    }

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Event log")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 10

        TextField {
            id: search
            objectName: "eventSearch"
            Layout.fillWidth: true
            placeholderText: qsTr("Filter by job or worker…")
            selectByMouse: true
            Accessible.name: qsTr("Filter events by job or worker")
            onTextChanged: Fleet.eventLog.text = text
            Keys.onEscapePressed: text = ""
        }

        Flow {
            Layout.fillWidth: true
            spacing: 6
            Repeater {
                model: view.kinds.length
                delegate: FilterChip {
                    required property int index
                    objectName: "kindChip_" + view.kinds[index]
                    text: view.kindLabels[index]
                    glyph: Theme.kindGlyph(view.kinds[index])
                    tone: Theme.kindColor(view.kinds[index])
                    checked: view.checkedKinds.indexOf(view.kinds[index]) >= 0
                    Accessible.name: qsTr("Show %1").arg(text)
                    onToggled: view.toggleKind(view.kinds[index], checked)
                }
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            radius: Theme.radiusSmall
            color: Theme.surface
            border.color: Theme.border
            clip: true

            ListView {
                id: list
                objectName: "eventList"
                anchors.fill: parent
                anchors.margins: 1
                model: Fleet.eventLog
                reuseItems: true
                boundsBehavior: Flickable.StopAtBounds
                Accessible.name: qsTr("Events")
                ScrollBar.vertical: ScrollBar {}

                delegate: EventLogRow {
                    width: list.width
                    onJobClicked: job => {
                        Selection.job = job;
                        view.jobSelected(job);
                    }
                }

                Text {
                    textFormat: Text.PlainText
                    anchors.centerIn: parent
                    visible: list.count === 0
                    text: view.checkedKinds.length || search.text.length ? qsTr("No event matches the filter") : qsTr("Nothing has happened yet")
                    color: Theme.textFaint
                    font.pixelSize: Theme.fontSmall
                }
            }
        }
    }
}
