import QtQuick
import Stickyboard.Ui

/*
 * A backend's name as a chip, coloured by the backend's state when it is known
 * (`backendState`), so "b2" looks the same in a lane, a row and the timeline.
 */
Rectangle {
    id: chip

    property string backend: ""
    property string backendState: ""
    /// Dashed look for "where the job really runs" when the database says otherwise.
    property bool ghost: false

    readonly property color tone: backendState.length ? Theme.backendStateColor(backendState) : Theme.accent

    implicitWidth: name.implicitWidth + 18
    implicitHeight: 20
    radius: Theme.radiusSmall
    color: ghost ? "transparent" : Theme.tint(tone, 0.12)
    border.width: 1
    border.color: ghost ? Theme.stale : Theme.tint(tone, 0.35)

    Text {
        id: name
        textFormat: Text.PlainText
        anchors.centerIn: parent
        text: chip.backend.length ? chip.backend : "—"
        color: chip.ghost ? Theme.stale : (chip.backend.length ? chip.tone : Theme.textFaint)
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
        font.family: Theme.monoFamily
    }
}
