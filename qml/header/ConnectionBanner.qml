import QtQml
import QtQuick
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * Watch mode only: says, across the window, that what is shown may be out of date. While
 * the watched database cannot be reached the lanes keep the last rows read; this banner
 * names the problem, how old the picture is, and when the next attempt comes. While live,
 * it says so when a gateway log has gone quiet: no ghost then is no proof of a healthy fleet.
 */
Rectangle {
    id: banner
    objectName: "connectionBanner"

    readonly property bool notLive: Watch.connectionState === "reconnecting" || Watch.connectionState === "connecting"
    readonly property bool quiet: Watch.connectionState === "live" && Watch.quietInputs > 0
    readonly property bool shown: notLive || quiet
    property double now: Date.now()

    function ago(ms: double): string {
        const s = Math.max(0, Math.round((banner.now - ms) / 1000));
        if (s < 60)
            return qsTr("%n s ago", "", s);
        const m = Math.round(s / 60);
        return m < 120 ? qsTr("%n min ago", "", m) : qsTr("%n h ago", "", Math.round(m / 60));
    }

    visible: shown
    implicitHeight: shown ? content.implicitHeight + 16 : 0
    color: Theme.tint(notLive ? Theme.offline : Theme.saturated, 0.12)
    border.color: Theme.tint(notLive ? Theme.offline : Theme.saturated, 0.45)
    radius: Theme.radiusSmall
    Accessible.role: Accessible.AlertMessage
    Accessible.name: message.text

    // Counts the seconds on screen only while there is something to count.
    Timer {
        interval: 1000
        repeat: true
        running: banner.shown
        triggeredOnStart: true
        onTriggered: banner.now = Date.now()
    }

    RowLayout {
        id: content
        anchors.fill: parent
        anchors.margins: 8
        anchors.leftMargin: 12
        spacing: 10

        Rectangle {
            width: 10
            height: 10
            radius: 5
            color: banner.notLive && Watch.connectionState !== "connecting" ? Theme.offline : Theme.saturated
        }
        // Bold on its own: the message quotes the database's error text, so it is plain text.
        Text {
            objectName: "connectionNotLive"
            visible: banner.notLive && Watch.connectionState !== "connecting"
            Layout.alignment: Qt.AlignTop
            textFormat: Text.PlainText
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            font.bold: true
            text: qsTr("Not live.")
        }
        Text {
            id: message
            objectName: "connectionMessage"
            Layout.fillWidth: true
            wrapMode: Text.WordWrap
            color: Theme.text
            font.pixelSize: Theme.fontSmall
            text: {
                if (!banner.notLive) {
                    const quiet = Watch.inputs.filter(i => i.quiet).map(i => i.name);
                    return qsTr("No observations from %1 for %2 s or more: jobs it would show as stale go unseen.").arg(quiet.join(", ")).arg(Watch.quietAfterS);
                }
                if (Watch.connectionState === "connecting")
                    return qsTr("Connecting to %1…").arg(Run.database);
                const asOf = new Date(Watch.lastReadMs).toLocaleTimeString(Qt.locale(), "HH:mm:ss");
                const retry = Math.max(0, Math.ceil((Watch.retryAtMs - banner.now) / 1000));
                return qsTr("%1 — showing %2 as read at %3 (%4). %5").arg(Watch.connectionText).arg(Watch.table).arg(asOf).arg(banner.ago(Watch.lastReadMs)).arg(retry > 0 ? qsTr("Reconnecting in %n s…", "", retry) : qsTr("Reconnecting…"));
            }
            textFormat: Text.PlainText
        }
    }
}
