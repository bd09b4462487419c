import QtQuick
import Stickyboard.Ui

/// What the pet under the pointer is: job, worker, persist state, and what a click does.
Rectangle {
    id: card

    property string job: ""
    /// PetField.petInfo(job): {worker, backend, observed, stale, failures, persistState, …}
    property var info: ({})
    /// The pet's centre, in the parent's coordinates.
    property real anchorX: 0
    property real anchorY: 0

    readonly property bool stale: info.stale ?? false

    visible: job.length > 0
    x: Math.max(4, Math.min(parent.width - width - 4, anchorX + 28))
    y: Math.max(4, Math.min(parent.height - height - 4, anchorY - height / 2))
    width: Math.max(title.implicitWidth, details.implicitWidth, hint.implicitWidth) + 24
    height: hint.y + hint.implicitHeight + 10
    radius: Theme.radiusSmall + 2
    color: Theme.surface
    border.color: Theme.borderStrong

    Text {
        id: title
        textFormat: Text.PlainText
        x: 12
        y: 9
        text: card.job + "  ·  " + (card.info.worker ?? "")
        color: Theme.text
        font.pixelSize: Theme.fontNormal
        font.weight: Font.DemiBold
    }
    Text {
        id: details
        textFormat: Text.PlainText
        x: 12
        y: title.y + title.implicitHeight + 3
        text: card.stale ? qsTr("database: %1 · runs on %2 · %3 failed").arg(card.info.backend ?? "—").arg(card.info.observed ?? "—").arg(card.info.failures ?? 0) : qsTr("on %1 · %2").arg(card.info.backend ?? "—").arg(card.info.persistState ?? "")
        color: card.stale ? Theme.stale : Theme.textMuted
        font.pixelSize: Theme.fontSmall
    }
    Text {
        id: hint
        textFormat: Text.PlainText
        x: 12
        y: details.y + details.implicitHeight + 3
        text: qsTr("click: details · right-click: fail writes")
        color: Theme.textFaint
        font.pixelSize: Theme.fontSmall - 1
    }
}
