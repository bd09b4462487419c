pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The selected job's state as a card: where the database says it is and where it runs, its
 * persist state, cache key and failures.
 */
Rectangle {
    id: card

    /// Selection.state: {worker, current, observed, cacheKey, persistState, failures,
    /// totalFailures, stale}
    required property var info

    implicitHeight: facts.implicitHeight + 24
    radius: Theme.radius
    color: Theme.surfaceAlt
    border.color: (card.info.stale ?? false) ? Theme.tint(Theme.stale, 0.6) : Theme.border

    GridLayout {
        id: facts
        anchors.fill: parent
        anchors.margins: 12
        columns: 2
        rowSpacing: 8
        columnSpacing: 12

        Text {
            textFormat: Text.PlainText
            text: qsTr("database")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        BackendChip {
            objectName: "detailCurrent"
            backend: String(card.info.current ?? "")
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("runs on")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        BackendChip {
            objectName: "detailObserved"
            backend: String(card.info.observed ?? "")
            ghost: card.info.stale ?? false
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("persist")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        PersistBadge {
            objectName: "detailPersistBadge"
            persistState: String(card.info.persistState ?? "")
            failures: card.info.failures ?? 0
            stale: card.info.stale ?? false
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("cache key")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        Text {
            textFormat: Text.PlainText
            text: String(card.info.cacheKey ?? "") || "—"
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            font.family: Theme.monoFamily
            elide: Text.ElideMiddle
            Layout.fillWidth: true
        }
        // Watch mode: when the gateway last served it, how long the table has lagged.
        Text {
            textFormat: Text.PlainText
            visible: Run.mode === "watch"
            text: qsTr("served at")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        Text {
            textFormat: Text.PlainText
            objectName: "detailObservedAt"
            visible: Run.mode === "watch"
            text: (card.info.observedAt ?? 0) > 0 ? Theme.formatTime(card.info.observedAt) : qsTr("not in the gateway's log yet")
            color: Theme.text
            font.pixelSize: Theme.fontSmall
        }
        Text {
            textFormat: Text.PlainText
            visible: Run.mode === "watch"
            text: qsTr("table")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        Text {
            textFormat: Text.PlainText
            objectName: "detailStaleFor"
            visible: Run.mode === "watch"
            readonly property real since: card.info.staleSince ?? 0
            text: since <= 0 ? qsTr("in step with the gateway") : (card.info.stale ?? false) ? qsTr("stale for %1").arg(Watch.ageText(since)) : qsTr("may still catch up (%1)").arg(Watch.ageText(since))
            color: (card.info.stale ?? false) ? Theme.offline : Theme.text
            font.pixelSize: Theme.fontSmall
        }
        Text {
            textFormat: Text.PlainText
            visible: Run.mode !== "watch"
            text: qsTr("failures")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
        }
        Text {
            textFormat: Text.PlainText
            objectName: "detailFailures"
            visible: Run.mode !== "watch"
            text: qsTr("%1 in a row · %2 in all").arg(card.info.failures ?? 0).arg(card.info.totalFailures ?? 0)
            color: (card.info.failures ?? 0) > 0 ? Theme.offline : Theme.text
            font.pixelSize: Theme.fontSmall
        }
    }
}
