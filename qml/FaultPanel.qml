pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * Fault injection at the persist seam (design.md "Faults"): pick a kind and a scope, see
 * the spec it makes, apply it; below, the faults in force with what is left of them.
 */
Item {
    id: panel
    objectName: "faultPanel"

    readonly property var kinds: ["fail-next", "fail-rate", "latency-ms", "offline", "online", "clear"]
    readonly property var kindHelp: [qsTr("The next N writes fail."), qsTr("Each write fails with probability P (seeded: repeatable)."), qsTr("Each write takes M ms longer."), qsTr("Every write fails until “online”."), qsTr("Ends an “offline” fault."), qsTr("Removes every fault.")]
    readonly property string kind: kinds[kindBox.currentIndex]
    readonly property var scopes: ["all", "worker", "job"]
    readonly property string scope: kind === "clear" ? "all" : scopes[scopeBox.currentIndex]
    /// The spec the fields make, as design.md writes it.
    readonly property string spec: {
        let text = kind;
        if (kind === "fail-next")
            text += "=" + countBox.value;
        else if (kind === "fail-rate") {
            text += "=" + rateSlider.value.toFixed(2);
            if (seedField.text.trim().length)
                text += ",seed=" + seedField.text.trim();
        } else if (kind === "latency-ms")
            text += "=" + latencyBox.value;
        if (scope !== "all")
            text += "," + scope + "=" + scopeId.text.trim();
        return text;
    }
    readonly property bool specComplete: scope === "all" || scopeId.text.trim().length > 0
    property string error: ""

    function apply() {
        if (!specComplete) {
            panel.error = qsTr("Enter the %1 id.").arg(scope);
            return;
        }
        panel.error = Dashboard.applyFault(panel.spec);
    }
    /// Prefills the scope with a job (from a pet's or a row's menu).
    function scopeToJob(job: string) {
        scopeBox.currentIndex = 2;
        scopeId.text = job;
    }

    enabled: Dashboard.faultsEnabled
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Fault injection")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        Rectangle {
            objectName: "faultsDisabledBanner"
            visible: !Dashboard.faultsEnabled
            Layout.fillWidth: true
            implicitHeight: disabledText.implicitHeight + 20
            radius: Theme.radiusSmall
            color: Theme.tint(Theme.saturated, 0.12)
            border.color: Theme.tint(Theme.saturated, 0.4)
            Text {
                id: disabledText
                textFormat: Text.PlainText
                anchors.fill: parent
                anchors.margins: 10
                text: Dashboard.faultsDisabledReason.length ? Dashboard.faultsDisabledReason : qsTr("Faults cannot be injected in this mode.")
                color: Theme.text
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontSmall
            }
        }

        WatchDetails {
            visible: Dashboard.mode === "watch"
            Layout.fillWidth: true
            Layout.topMargin: 4
        }

        // --- the form ------------------------------------------------------------------
        GridLayout {
            visible: Dashboard.faultsEnabled
            columns: 2
            columnSpacing: 12
            rowSpacing: 10
            Layout.fillWidth: true

            Label {
                textFormat: Text.PlainText
                text: qsTr("Kind")
                color: Theme.textMuted
            }
            ComboBox {
                id: kindBox
                objectName: "faultKind"
                model: panel.kinds
                Layout.fillWidth: true
                Accessible.name: qsTr("Fault kind")
            }

            Item {
                implicitWidth: 1
            }
            Text {
                textFormat: Text.PlainText
                text: panel.kindHelp[kindBox.currentIndex]
                color: Theme.textMuted
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }

            Label {
                textFormat: Text.PlainText
                visible: panel.kind === "fail-next"
                text: qsTr("Writes")
                color: Theme.textMuted
            }
            SpinBox {
                id: countBox
                objectName: "faultCount"
                visible: panel.kind === "fail-next"
                from: 1
                to: 100000
                value: 1
                editable: true
                Layout.fillWidth: true
                Accessible.name: qsTr("Number of writes to fail")
            }

            Label {
                textFormat: Text.PlainText
                visible: panel.kind === "fail-rate"
                text: qsTr("Probability")
                color: Theme.textMuted
            }
            RowLayout {
                visible: panel.kind === "fail-rate"
                Layout.fillWidth: true
                Slider {
                    id: rateSlider
                    objectName: "faultRate"
                    from: 0
                    to: 1
                    value: 0.25
                    stepSize: 0.05
                    snapMode: Slider.SnapAlways
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Failure probability")
                }
                Label {
                    textFormat: Text.PlainText
                    text: Math.round(rateSlider.value * 100) + " %"
                    Layout.preferredWidth: 40
                    horizontalAlignment: Text.AlignRight
                }
            }
            Label {
                textFormat: Text.PlainText
                visible: panel.kind === "fail-rate"
                text: qsTr("Seed")
                color: Theme.textMuted
            }
            TextField {
                id: seedField
                objectName: "faultSeed"
                visible: panel.kind === "fail-rate"
                placeholderText: qsTr("optional, e.g. 42")
                validator: RegularExpressionValidator {
                    regularExpression: /[0-9]{0,10}/
                }
                selectByMouse: true
                Layout.fillWidth: true
                Accessible.name: qsTr("Random seed")
            }

            Label {
                textFormat: Text.PlainText
                visible: panel.kind === "latency-ms"
                text: qsTr("Delay (ms)")
                color: Theme.textMuted
            }
            SpinBox {
                id: latencyBox
                objectName: "faultLatency"
                visible: panel.kind === "latency-ms"
                from: 0
                to: 600000
                stepSize: 50
                value: 250
                editable: true
                Layout.fillWidth: true
                Accessible.name: qsTr("Added latency in milliseconds")
            }

            Label {
                textFormat: Text.PlainText
                text: qsTr("Scope")
                color: Theme.textMuted
                enabled: panel.kind !== "clear"
            }
            RowLayout {
                Layout.fillWidth: true
                enabled: panel.kind !== "clear"
                spacing: 8
                ComboBox {
                    id: scopeBox
                    objectName: "faultScope"
                    model: [qsTr("all jobs"), qsTr("worker"), qsTr("job")]
                    Layout.preferredWidth: 110
                    Accessible.name: qsTr("Fault scope")
                }
                TextField {
                    id: scopeId
                    objectName: "faultScopeId"
                    enabled: scopeBox.currentIndex > 0
                    placeholderText: scopeBox.currentIndex === 1 ? qsTr("worker id") : scopeBox.currentIndex === 2 ? qsTr("job id") : qsTr("—")
                    selectByMouse: true
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Worker or job id")
                    onAccepted: panel.apply()
                }
            }
        }

        // --- the spec and apply ----------------------------------------------------------
        Rectangle {
            visible: Dashboard.faultsEnabled
            Layout.fillWidth: true
            implicitHeight: 40
            radius: Theme.radiusSmall
            color: Theme.surfaceSunken
            border.color: Theme.border

            Text {
                textFormat: Text.PlainText
                objectName: "faultSpecPreview"
                anchors.left: parent.left
                anchors.right: applyButton.left
                anchors.margins: 10
                anchors.verticalCenter: parent.verticalCenter
                text: panel.spec
                color: panel.specComplete ? Theme.fault : Theme.textFaint
                font.family: Theme.monoFamily
                font.pixelSize: Theme.fontNormal
                elide: Text.ElideRight
            }
            ActionButton {
                id: applyButton
                objectName: "faultApply"
                anchors.right: parent.right
                anchors.rightMargin: 4
                anchors.verticalCenter: parent.verticalCenter
                text: panel.kind === "clear" ? qsTr("Clear") : qsTr("Apply")
                primary: true
                tone: Theme.fault
                enabled: panel.specComplete
                Accessible.name: qsTr("Apply fault")
                onClicked: panel.apply()
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "faultError"
            visible: panel.error.length > 0
            text: panel.error
            color: Theme.offline
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        // --- active faults -----------------------------------------------------------------
        RowLayout {
            visible: Dashboard.faultsEnabled
            Layout.fillWidth: true
            Layout.topMargin: 6
            Text {
                textFormat: Text.PlainText
                text: qsTr("Active faults")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
                font.weight: Font.DemiBold
            }
            Rectangle {
                objectName: "activeFaultCount"
                opacity: faultList.count > 0 ? 1 : 0
                Layout.preferredWidth: countText.implicitWidth + 12
                Layout.preferredHeight: 18
                radius: 9
                color: Theme.tint(Theme.fault, 0.16)
                Text {
                    id: countText
                    textFormat: Text.PlainText
                    anchors.centerIn: parent
                    text: faultList.count
                    color: Theme.fault
                    font.pixelSize: Theme.fontSmall
                    font.weight: Font.Bold
                }
            }
            Item {
                Layout.fillWidth: true
            }
            ActionButton {
                objectName: "faultClearAll"
                text: qsTr("Clear all")
                flat: true
                enabled: faultList.count > 0
                Accessible.name: qsTr("Clear all faults")
                ToolTip.text: qsTr("Clear all faults (Ctrl+Shift+X)")
                onClicked: Dashboard.clearFaults()
            }
        }

        ListView {
            id: faultList
            objectName: "activeFaultList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: Dashboard.activeFaults
            Accessible.name: qsTr("Active faults")

            delegate: ActiveFaultRow {
                width: faultList.width
            }

            Text {
                textFormat: Text.PlainText
                anchors.centerIn: parent
                width: parent.width - 20
                visible: faultList.count === 0 && Dashboard.faultsEnabled
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("No faults. Every write goes through.")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
        }
    }
}
