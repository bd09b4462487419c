import QtQuick
import Stickyboard.Ui

/*
 * A job's persistence at a glance: "saved ✓", "saving…", "retry pending · n failures", and
 * "db stale" when the database lags where the job really runs. Plain items only: it sits in
 * every row of a 100,000-row table.
 */
Rectangle {
    id: badge

    /// JobListModel persistState: "saved" | "saving" | "retry pending" | "unresolved"; watch
    /// mode: "pending" (within the grace) and "stale" (the workers' write never landed)
    property string persistState: ""
    property int failures: 0
    property bool stale: false
    property bool compact: false
    /// The "db stale" marker: the database lags and no write is on its way to fix it.
    readonly property bool showsStale: stale && persistState !== "saving" && persistState !== "pending" && persistState !== "stale"

    readonly property string label: {
        switch (persistState) {
        case "saved":
            return qsTr("saved ✓");
        case "saving":
        case "pending": // watch mode: the workers' write may still land
            return qsTr("saving…");
        case "retry pending":
            if (compact)
                return qsTr("retry · %1").arg(failures);
            return failures === 1 ? qsTr("retry pending · 1 failure") : qsTr("retry pending · %1 failures").arg(failures);
        case "unresolved":
            return qsTr("new");
        case "stale":
            return qsTr("table stale");
        }
        return persistState;
    }
    readonly property color tone: Theme.persistColor(persistState)

    implicitWidth: stateText.implicitWidth + 16 + (showsStale ? staleText.implicitWidth + 14 : 0)
    implicitHeight: 20
    radius: height / 2
    color: Theme.tint(tone, 0.13)
    border.color: Theme.tint(tone, 0.35)
    border.width: 1

    Behavior on color {
        ColorAnimation {
            duration: Theme.animationMs
        }
    }

    Text {
        id: stateText
        textFormat: Text.PlainText
        x: 8
        anchors.verticalCenter: parent.verticalCenter
        text: badge.label
        color: badge.tone
        font.pixelSize: Theme.fontSmall
        font.weight: Font.DemiBold
    }

    Rectangle {
        objectName: "dbStaleMarker"
        visible: badge.showsStale
        x: stateText.x + stateText.implicitWidth + 6
        width: staleText.implicitWidth + 12
        height: badge.height - 4
        anchors.verticalCenter: parent.verticalCenter
        radius: height / 2
        color: Theme.stale

        Text {
            id: staleText
            textFormat: Text.PlainText
            anchors.centerIn: parent
            text: qsTr("db stale")
            color: Theme.textOnAccent
            font.pixelSize: Theme.fontSmall - 1
            font.weight: Font.Bold
        }
    }
}
