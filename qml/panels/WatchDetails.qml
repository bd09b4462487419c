import QtQuick
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * Watch mode, in place of the fault form: what is watched and how, and the gateway's logs
 * that say where jobs really run, each with its health (a quiet log is flagged).
 */
GridLayout {
    id: details
    objectName: "watchDetails"

    columns: 2
    columnSpacing: 12
    rowSpacing: 8
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Watch details")

    component Key: Text {
        textFormat: Text.PlainText
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        Layout.alignment: Qt.AlignTop
    }
    component Value: Text {
        textFormat: Text.PlainText
        color: Theme.text
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WrapAnywhere
        Layout.fillWidth: true
    }

    Key {
        text: qsTr("Table")
    }
    Value {
        objectName: "watchTable"
        text: Watch.table
        font.family: Theme.monoFamily
    }
    Key {
        text: qsTr("Columns")
    }
    Value {
        text: Watch.columns.length ? Watch.columns : "—"
        font.family: Theme.monoFamily
    }
    Key {
        text: qsTr("Database")
    }
    Value {
        text: Run.database
        font.family: Theme.monoFamily
    }
    Key {
        text: qsTr("Changes")
    }
    Value {
        objectName: "watchMethod"
        text: Watch.connectionState === "live" ? Watch.connectionText : qsTr("not live — see the banner")
    }
    // While live, the time of the (re)connect; otherwise the last read before the trouble.
    Key {
        text: Watch.connectionState === "live" ? qsTr("Live since") : qsTr("Last read")
    }
    Value {
        text: Watch.lastReadMs > 0 ? new Date(Watch.lastReadMs).toLocaleTimeString(Qt.locale(), "HH:mm:ss") : "—"
    }
    Key {
        text: qsTr("Stale after")
    }
    Value {
        text: qsTr("%1 s served elsewhere than the table says").arg(Watch.staleAfterS)
    }
    Key {
        text: qsTr("Observed")
    }
    Value {
        objectName: "watchNoInputs"
        visible: Watch.inputs.length === 0
        text: qsTr("nothing yet: follow the gateway's log with --observe FILE, or send it to POST /ingest/litellm or POST /events")
        color: Theme.textMuted
        wrapMode: Text.WordWrap
    }
    Item {
        visible: Watch.inputs.length > 0
        implicitWidth: 1
    }
    Repeater {
        model: Watch.inputs
        delegate: ObservationInputRow {
            Layout.columnSpan: 2
            Layout.fillWidth: true
        }
    }
}
