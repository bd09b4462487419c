pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/*
 * One backend as a column: its card on top (name, state in colour and words, load, KV-cache
 * use, hit rate, and the buttons that force switches), and below it the lane where the
 * backend's pets stand (drawn by the one PetField laid over all lanes).
 */
Item {
    id: lane

    required property int index
    required property string backendId
    /// The "state" role; Item has a `state` of its own, so it is read through `model`.
    required property var model
    required property int running
    required property int waiting
    required property int capacity
    required property real kvUse
    required property real hitRate
    required property int jobs
    required property int incoming
    required property bool hasLoad

    /// Height of the card; the PetField starts below it.
    property real cardHeight: 196

    readonly property string backendState: String(model.state)
    /// Watch mode reads only jobs: a backend's state is not known there, so none is shown.
    readonly property bool stateKnown: Run.mode !== "watch"
    readonly property color tone: stateKnown ? Theme.backendStateColor(backendState) : Theme.accent
    readonly property real load: capacity > 0 ? (running + waiting) / capacity : 0
    /// Narrow lanes (many backends) get short button labels; the tooltip says it in full.
    readonly property bool narrow: width < 190

    objectName: "lane_" + backendId
    Accessible.role: Accessible.Grouping
    Accessible.name: stateKnown ? qsTr("Backend %1, %2").arg(backendId).arg(Theme.backendStateText(backendState)) : qsTr("Backend %1").arg(backendId)

    // The lane body: a calm column, tinted when the backend cannot take work.
    Rectangle {
        id: body
        anchors.fill: parent
        anchors.margins: 5
        radius: Theme.radius
        color: lane.backendState === "online" ? Theme.surfaceAlt : Theme.tint(lane.tone, 0.07)
        border.width: 1
        border.color: lane.backendState === "online" ? Theme.border : Theme.tint(lane.tone, 0.3)

        Behavior on color {
            ColorAnimation {
                duration: 300
            }
        }
    }

    // --- the card --------------------------------------------------------------------------
    Rectangle {
        id: card
        x: 5
        y: 5
        width: lane.width - 10
        height: lane.cardHeight - 10
        radius: Theme.radius
        color: Theme.surface
        border.width: 1
        border.color: Theme.border

        // State stripe along the top edge.
        Rectangle {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.leftMargin: Theme.radius
            anchors.rightMargin: Theme.radius
            height: 3
            radius: 1.5
            color: lane.tone
            Behavior on color {
                ColorAnimation {
                    duration: 300
                }
            }
        }

        Column {
            id: info
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            anchors.margins: 12
            anchors.topMargin: 14
            spacing: 8

            Text {
                id: nameText
                textFormat: Text.PlainText
                width: info.width
                text: lane.backendId
                color: Theme.text
                font.pixelSize: Theme.fontLarge
                font.weight: Font.Bold
                elide: Text.ElideRight
            }

            // How many jobs, and the state in colour and words.
            Item {
                width: info.width
                height: statePill.height

                Text {
                    textFormat: Text.PlainText
                    anchors.left: parent.left
                    anchors.right: statePill.left
                    anchors.rightMargin: 6
                    anchors.verticalCenter: parent.verticalCenter
                    text: (lane.jobs === 1 ? qsTr("1 job") : qsTr("%1 jobs").arg(lane.jobs)) + (lane.incoming > 0 ? qsTr(" · %1 arriving").arg(lane.incoming) : "")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    elide: Text.ElideRight
                }
                Rectangle {
                    id: statePill
                    objectName: "laneState_" + lane.backendId
                    visible: lane.stateKnown
                    readonly property string label: Theme.backendStateText(lane.backendState)
                    anchors.right: parent.right
                    width: stateText.implicitWidth + 24
                    height: 20
                    radius: 10
                    color: Theme.tint(lane.tone, 0.14)
                    Accessible.role: Accessible.StaticText
                    Accessible.name: label

                    Rectangle {
                        x: 8
                        anchors.verticalCenter: parent.verticalCenter
                        width: 7
                        height: 7
                        radius: 3.5
                        color: lane.tone
                    }
                    Text {
                        id: stateText
                        textFormat: Text.PlainText
                        x: 19
                        anchors.verticalCenter: parent.verticalCenter
                        text: statePill.label
                        color: lane.tone
                        font.pixelSize: Theme.fontSmall
                        font.weight: Font.DemiBold
                    }
                }
            }

            Meter {
                objectName: "laneLoad_" + lane.backendId
                visible: lane.hasLoad
                width: info.width
                caption: qsTr("load")
                valueText: !lane.hasLoad ? qsTr("n/a") : lane.capacity > 0 ? qsTr("%1 + %2 / %3").arg(lane.running).arg(lane.waiting).arg(lane.capacity) : qsTr("%1 + %2").arg(lane.running).arg(lane.waiting)
                fraction: lane.hasLoad ? lane.load : 0
                color: lane.load > 0.85 ? Theme.saturated : Theme.online
            }
            Meter {
                objectName: "laneKv_" + lane.backendId
                visible: lane.kvUse >= 0
                width: info.width
                caption: qsTr("KV cache")
                valueText: lane.kvUse >= 0 ? Math.round(lane.kvUse * 100) + " %" : qsTr("n/a")
                fraction: Math.max(0, lane.kvUse)
                color: Theme.saving
            }
            Item {
                width: info.width
                height: hitText.implicitHeight
                visible: lane.hitRate >= 0
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("cache hit rate")
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                }
                Text {
                    id: hitText
                    textFormat: Text.PlainText
                    anchors.right: parent.right
                    text: lane.hitRate >= 0 ? Math.round(lane.hitRate * 100) + " %" : qsTr("n/a")
                    color: lane.hitRate < 0 ? Theme.textMuted : lane.hitRate >= 0.8 ? Theme.online : (lane.hitRate >= 0.5 ? Theme.text : Theme.stale)
                    font.pixelSize: Theme.fontSmall
                    font.weight: Font.DemiBold
                }
            }
        }

        // The two moves away from the current state.
        Row {
            id: buttons
            // Watch mode shows real backends: nothing here can change them.
            visible: Run.mode !== "watch"
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.bottom: parent.bottom
            anchors.margins: 10
            spacing: 6

            LaneButton {
                objectName: "takeOffline_" + lane.backendId
                text: lane.narrow ? qsTr("Offline") : qsTr("Take offline")
                tone: Theme.offline
                visible: lane.backendState !== "offline"
                Accessible.name: qsTr("Take %1 offline").arg(lane.backendId)
                ToolTip.text: qsTr("Take %1 offline: its jobs switch to other backends").arg(lane.backendId)
                onClicked: Fleet.setBackendState(lane.backendId, "offline")
            }
            LaneButton {
                objectName: "saturate_" + lane.backendId
                text: qsTr("Saturate")
                tone: Theme.saturated
                visible: lane.backendState !== "saturated"
                Accessible.name: qsTr("Saturate %1").arg(lane.backendId)
                ToolTip.text: qsTr("Saturate %1: the gateway stops honouring its stickiness").arg(lane.backendId)
                onClicked: Fleet.setBackendState(lane.backendId, "saturated")
            }
            LaneButton {
                objectName: "bringBack_" + lane.backendId
                text: lane.narrow ? qsTr("Online") : qsTr("Bring back")
                tone: Theme.online
                visible: lane.backendState !== "online"
                Accessible.name: qsTr("Bring %1 back online").arg(lane.backendId)
                ToolTip.text: qsTr("Bring %1 back online").arg(lane.backendId)
                onClicked: Fleet.setBackendState(lane.backendId, "online")
            }
        }
    }
}
