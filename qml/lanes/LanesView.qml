pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/*
 * The backends side by side, one lane each, and over their lower part ONE PetField that
 * draws every worker as a pet in the lane of its persisted backend (style.md: many moving
 * things are one item). Lanes share the width equally, as the PetField divides it.
 */
Item {
    id: view
    objectName: "lanesView"

    /// The pet (or row) asked for its context menu.
    signal jobMenuRequested(string job)
    signal jobSelected(string job)

    readonly property int laneCount: Fleet.backends ? Fleet.backends.count : 0
    readonly property real minLaneWidth: 164
    readonly property real laneWidth: laneCount > 0 ? Math.max(minLaneWidth, flick.width / laneCount) : flick.width
    /// Load figures (simulation only) make the cards taller.
    // Without a simulation there are no load meters; in watch mode no buttons either.
    readonly property real cardHeight: Simulation.available ? 210 : (Run.mode === "watch" ? 76 : 120)
    readonly property alias petField: pets

    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Backend lanes")

    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: Math.max(width, view.laneWidth * view.laneCount)
        contentHeight: height
        flickableDirection: Flickable.HorizontalFlick
        boundsBehavior: Flickable.StopAtBounds
        interactive: contentWidth > width
        clip: true
        ScrollBar.horizontal: ScrollBar {
            policy: flick.interactive ? ScrollBar.AsNeeded : ScrollBar.AlwaysOff
        }

        Row {
            id: lanes
            height: flick.height

            Repeater {
                model: Fleet.backends
                delegate: BackendLane {
                    width: view.laneWidth
                    height: lanes.height
                    cardHeight: view.cardHeight
                }
            }
        }

        PetField {
            id: pets
            objectName: "petField"
            x: 0
            y: view.cardHeight
            width: view.laneWidth * view.laneCount
            height: Math.max(0, flick.height - view.cardHeight - 8)
            run: Run
            selection: Selection
            lanes: Fleet.backends ? Fleet.backends.ids : []
            Accessible.name: qsTr("Workers as pets, standing in their backend's lane")
            Accessible.description: summary

            onPetClicked: (job, button, px, py) => {
                if (button === Qt.RightButton) {
                    view.jobMenuRequested(job);
                } else {
                    Selection.job = job;
                    view.jobSelected(job);
                }
            }
        }
    }

    // A small card for the pet under the pointer.
    // A small card next to the pet under the pointer: what it is and what a click does.
    PetHoverCard {
        objectName: "petHoverCard"
        job: pets.hoveredJob
        info: job.length ? pets.petInfo(job) : ({})
        anchorX: pets.x - flick.contentX + (info.x ?? 0)
        anchorY: pets.y + (info.y ?? 0)
        z: 10
    }

    // Past 500 pets the field draws no more: say so, and where to see them all.
    Rectangle {
        objectName: "petOverflow"
        visible: pets.overflow > 0
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 12
        width: overflowText.implicitWidth + 24
        height: 26
        radius: 13
        color: Theme.surface
        border.color: Theme.border

        Text {
            id: overflowText
            textFormat: Text.PlainText
            anchors.centerIn: parent
            text: qsTr("%L1 more jobs not drawn · press G for the table").arg(pets.overflow)
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
    }

    Column {
        anchors.horizontalCenter: parent.horizontalCenter
        y: view.cardHeight + (view.height - view.cardHeight) / 2 - height / 2
        visible: Counters.jobCount === 0
        spacing: 6
        Text {
            textFormat: Text.PlainText
            anchors.horizontalCenter: parent.horizontalCenter
            text: view.laneCount === 0 ? qsTr("Waiting for the first event…") : qsTr("No jobs yet")
            color: Theme.textMuted
            font.pixelSize: Theme.fontLarge
        }
        Text {
            textFormat: Text.PlainText
            anchors.horizontalCenter: parent.horizontalCenter
            text: qsTr("Each worker appears here as a pet, in the lane of its backend.")
            color: Theme.textFaint
            font.pixelSize: Theme.fontSmall
        }
    }
}
