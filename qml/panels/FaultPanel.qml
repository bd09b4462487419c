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

    readonly property string kind: form.kind
    /// The spec the fields make, as design.md writes it.
    readonly property string spec: form.spec
    readonly property bool specComplete: form.specComplete
    property string error: ""

    function apply() {
        if (!specComplete) {
            panel.error = qsTr("Enter the %1 id.").arg(form.scope);
            return;
        }
        panel.error = Faults.apply(panel.spec);
    }
    /// Prefills the scope with a job (from a pet's or a row's menu).
    function scopeToJob(job: string) {
        form.scopeToJob(job);
    }

    enabled: Faults.enabled
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Fault injection")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 16
        spacing: 12

        Rectangle {
            objectName: "faultsDisabledBanner"
            visible: !Faults.enabled
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
                text: Faults.disabledReason.length ? Faults.disabledReason : qsTr("Faults cannot be injected in this mode.")
                color: Theme.text
                wrapMode: Text.WordWrap
                font.pixelSize: Theme.fontSmall
            }
        }

        WatchDetails {
            visible: Run.mode === "watch"
            Layout.fillWidth: true
            Layout.topMargin: 4
        }

        // --- the form ------------------------------------------------------------------
        FaultForm {
            id: form
            visible: Faults.enabled
            Layout.fillWidth: true
            onAccepted: panel.apply()
        }

        // --- the spec and apply ----------------------------------------------------------
        Rectangle {
            visible: Faults.enabled
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
            visible: Faults.enabled
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
                onClicked: Faults.clear()
            }
        }

        ListView {
            id: faultList
            objectName: "activeFaultList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 6
            model: Faults.active
            Accessible.name: qsTr("Active faults")

            delegate: ActiveFaultRow {
                width: faultList.width
            }

            Text {
                textFormat: Text.PlainText
                anchors.centerIn: parent
                width: parent.width - 20
                visible: faultList.count === 0 && Faults.enabled
                horizontalAlignment: Text.AlignHCenter
                text: qsTr("No faults. Every write goes through.")
                color: Theme.textFaint
                font.pixelSize: Theme.fontSmall
                wrapMode: Text.WordWrap
            }
        }
    }
}
