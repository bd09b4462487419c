import QtQuick
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The top of the window: what this run is (mode, database), the counters an operator
 * glances at, and two sparklines of switches and failures over the last minutes.
 */
Rectangle {
    id: bar
    objectName: "headerBar"

    implicitHeight: 64
    color: Theme.surface

    function formatCount(n: real): string {
        if (n >= 1e6)
            return (n / 1e6).toFixed(n >= 1e7 ? 0 : 1) + "M";
        if (n >= 1e4)
            return (n / 1e3).toFixed(n >= 1e5 ? 0 : 1) + "k";
        return Number(n).toLocaleString(Qt.locale(), "f", 0);
    }

    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 1
        color: Theme.border
    }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 16
        anchors.rightMargin: 16
        spacing: 22

        // --- identity ------------------------------------------------------------------
        Image {
            source: "qrc:/stickyboard/icons/stickyboard.svg"
            fillMode: Image.PreserveAspectFit
            smooth: true
            mipmap: true
            Layout.preferredWidth: 34
            Layout.preferredHeight: 34
        }
        ColumnLayout {
            spacing: 3
            Layout.maximumWidth: 300
            Text {
                textFormat: Text.PlainText
                text: qsTr("Stickyboard")
                color: Theme.text
                font.pixelSize: Theme.fontTitle
                font.weight: Font.Bold
            }
            Row {
                spacing: 8
                Layout.fillWidth: true
                Rectangle {
                    objectName: "modeLabel"
                    width: modeText.implicitWidth + 14
                    height: 18
                    radius: 9
                    color: Theme.accentSoft
                    Text {
                        id: modeText
                        textFormat: Text.PlainText
                        anchors.centerIn: parent
                        text: Run.modeLabel.length ? Run.modeLabel : qsTr("starting…")
                        color: Theme.accent
                        font.pixelSize: Theme.fontSmall
                        font.weight: Font.DemiBold
                    }
                }
                // Watch mode: is what we show live?
                Rectangle {
                    id: pill
                    objectName: "connectionPill"
                    visible: Watch.connectionState.length > 0
                    width: pillRow.implicitWidth + 14
                    height: 18
                    radius: 9
                    readonly property color tone: Watch.connectionState === "live" ? Theme.online : Watch.connectionState === "connecting" ? Theme.saturated : Theme.offline
                    color: Theme.tint(tone, 0.14)
                    Accessible.role: Accessible.StaticText
                    Accessible.name: qsTr("Connection: %1, %2").arg(Watch.connectionState).arg(Watch.connectionText)
                    PlainToolTip {
                        visible: pillHover.hovered
                        text: Watch.connectionState === "live" ? qsTr("Watching %1 read-only; changes arrive by %2").arg(Watch.table).arg(Watch.connectionText) : Watch.connectionText
                    }
                    Row {
                        id: pillRow
                        anchors.centerIn: parent
                        spacing: 5
                        Rectangle {
                            anchors.verticalCenter: parent.verticalCenter
                            width: 7
                            height: 7
                            radius: 3.5
                            color: pill.tone
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: Watch.connectionState === "live" ? qsTr("live") : Watch.connectionState === "connecting" ? qsTr("connecting") : qsTr("not live")
                            color: pill.tone
                            font.pixelSize: Theme.fontSmall
                            font.weight: Font.DemiBold
                        }
                    }
                    HoverHandler {
                        id: pillHover
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "databaseLabel"
                    width: Math.min(implicitWidth, 220)
                    anchors.verticalCenter: parent.verticalCenter
                    text: Run.database
                    color: Theme.textMuted
                    font.pixelSize: Theme.fontSmall
                    font.family: Theme.monoFamily
                    elide: Text.ElideMiddle
                }
            }
        }

        Item {
            Layout.fillWidth: true
        }

        // --- counters --------------------------------------------------------------------
        HeaderCounter {
            objectName: "jobsCounter"
            caption: qsTr("jobs")
            value: bar.formatCount(Counters.jobCount)
        }
        HeaderCounter {
            objectName: "rateCounter"
            caption: qsTr("events/s")
            value: Counters.eventsPerSecond < 10 ? Counters.eventsPerSecond.toFixed(1) : bar.formatCount(Math.round(Counters.eventsPerSecond))
        }
        HeaderCounter {
            objectName: "switchesCounter"
            caption: qsTr("switches")
            value: bar.formatCount(Counters.switches)
            tone: Theme.accent
        }
        // Watch mode writes nothing: no writes to count, no retries to wait for.
        HeaderCounter {
            objectName: "writesCounter"
            visible: Run.mode !== "watch"
            caption: qsTr("writes ok / failed")
            value: bar.formatCount(Counters.writesOk) + " / " + bar.formatCount(Counters.writesFailed)
            tone: Counters.writesFailed > 0 ? Theme.offline : Theme.text
        }
        HeaderCounter {
            objectName: "retryCounter"
            visible: Run.mode !== "watch"
            caption: qsTr("retry pending")
            value: bar.formatCount(Counters.retryPending)
            tone: Counters.retryPending > 0 ? Theme.offline : Theme.text
        }
        // Watch mode: what the gateway's log reveals (jobs whose row lags where they run).
        HeaderCounter {
            objectName: "pendingCounter"
            visible: Run.mode === "watch"
            caption: qsTr("saving")
            value: bar.formatCount(Watch.pendingJobs)
            tip: qsTr("Jobs served elsewhere for less than %1 s: their workers' write may still land").arg(Watch.staleAfterS)
        }
        HeaderCounter {
            objectName: "staleCounter"
            caption: qsTr("stale jobs")
            value: bar.formatCount(Run.mode === "watch" ? Watch.staleJobs : Counters.staleJobs)
            tone: value !== "0" ? Theme.stale : Theme.text
        }
        HeaderCounter {
            objectName: "oldestStaleCounter"
            visible: Run.mode === "watch"
            caption: qsTr("oldest stale")
            value: Watch.oldestStaleSinceMs > 0 ? Watch.ageText(Watch.oldestStaleSinceMs) : "—"
            tone: Watch.oldestStaleSinceMs > 0 ? Theme.stale : Theme.text
        }

        // --- sparklines ------------------------------------------------------------------
        Rectangle {
            Layout.preferredWidth: 1
            Layout.preferredHeight: 36
            color: Theme.border
            visible: bar.width > 1100
        }
        Column {
            spacing: 2
            visible: bar.width > 1100
            Sparkline {
                objectName: "switchesSparkline"
                width: 120
                height: 26
                caption: qsTr("switches")
                values: Fleet.activity ? Fleet.activity.switches : []
                peak: Fleet.activity ? Fleet.activity.peak : 0
                color: Theme.accent
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("switches · last minutes")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall - 1
            }
        }
        Column {
            spacing: 2
            visible: bar.width > 1100
            Sparkline {
                objectName: "failuresSparkline"
                width: 120
                height: 26
                caption: qsTr("failures")
                values: Fleet.activity ? Fleet.activity.failures : []
                peak: Fleet.activity ? Fleet.activity.peak : 0
                color: Theme.offline
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("failures · last minutes")
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall - 1
            }
        }
    }
}
