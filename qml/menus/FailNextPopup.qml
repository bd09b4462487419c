import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/// "Fail next N writes…": a small popup with a count, for one job.
Popup {
    id: popup
    objectName: "failNextPopup"

    property string job: ""
    property string error: ""

    function openFor(jobId: string) {
        popup.job = jobId;
        popup.error = "";
        popup.open();
        count.forceActiveFocus();
    }
    function apply() {
        popup.error = Faults.failNext(popup.job, count.value);
        if (!popup.error.length)
            popup.close();
    }

    modal: true
    focus: true
    anchors.centerIn: Overlay.overlay
    padding: 18
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    background: Rectangle {
        radius: Theme.radius
        color: Theme.surface
        border.color: Theme.border
    }

    Column {
        spacing: 12

        Text {
            textFormat: Text.PlainText
            text: qsTr("Fail the next writes of %1").arg(popup.job)
            color: Theme.text
            font.pixelSize: Theme.fontNormal + 1
            font.weight: Font.DemiBold
        }
        Text {
            textFormat: Text.PlainText
            width: 280
            text: qsTr("The tracker keeps the job's backend until a write succeeds; watch the ghost appear and the retry catch up.")
            color: Theme.textMuted
            font.pixelSize: Theme.fontSmall
            wrapMode: Text.WordWrap
        }
        Row {
            spacing: 10
            Text {
                textFormat: Text.PlainText
                anchors.verticalCenter: parent.verticalCenter
                text: qsTr("writes to fail")
                color: Theme.text
                font.pixelSize: Theme.fontNormal
            }
            SpinBox {
                id: count
                objectName: "failNextCount"
                from: 1
                to: 1000
                value: 3
                editable: true
                Accessible.name: qsTr("Number of writes to fail")
                Keys.onReturnPressed: popup.apply()
                Keys.onEnterPressed: popup.apply()
            }
        }
        Text {
            textFormat: Text.PlainText
            visible: popup.error.length > 0
            text: popup.error
            color: Theme.offline
            font.pixelSize: Theme.fontSmall
        }
        Row {
            anchors.right: parent.right
            spacing: 8
            ActionButton {
                objectName: "failNextCancel"
                text: qsTr("Cancel")
                flat: true
                Accessible.name: text
                onClicked: popup.close()
            }
            ActionButton {
                objectName: "failNextApply"
                text: qsTr("Fail %1 writes").arg(count.value)
                primary: true
                tone: Theme.fault
                Accessible.name: qsTr("Fail the next writes")
                onClicked: popup.apply()
            }
        }
    }
}
