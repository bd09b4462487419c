pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The fields of a fault (design.md "Faults"): its kind, what the kind takes (count,
 * probability and seed, delay) and its scope; `spec` is the spec they make.
 */
GridLayout {
    id: form

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

    /// Return pressed in the scope's id field.
    signal accepted

    /// Prefills the scope with a job (from a pet's or a row's menu).
    function scopeToJob(job: string) {
        scopeBox.currentIndex = 2;
        scopeId.text = job;
    }

    columns: 2
    columnSpacing: 12
    rowSpacing: 10

    Label {
        textFormat: Text.PlainText
        text: qsTr("Kind")
        color: Theme.textMuted
    }
    ComboBox {
        id: kindBox
        objectName: "faultKind"
        model: form.kinds
        Layout.fillWidth: true
        Accessible.name: qsTr("Fault kind")
    }

    Item {
        implicitWidth: 1
    }
    Text {
        textFormat: Text.PlainText
        text: form.kindHelp[kindBox.currentIndex]
        color: Theme.textMuted
        font.pixelSize: Theme.fontSmall
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }

    Label {
        textFormat: Text.PlainText
        visible: form.kind === "fail-next"
        text: qsTr("Writes")
        color: Theme.textMuted
    }
    SpinBox {
        id: countBox
        objectName: "faultCount"
        visible: form.kind === "fail-next"
        from: 1
        to: 100000
        value: 1
        editable: true
        Layout.fillWidth: true
        Accessible.name: qsTr("Number of writes to fail")
    }

    Label {
        textFormat: Text.PlainText
        visible: form.kind === "fail-rate"
        text: qsTr("Probability")
        color: Theme.textMuted
    }
    RowLayout {
        visible: form.kind === "fail-rate"
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
        visible: form.kind === "fail-rate"
        text: qsTr("Seed")
        color: Theme.textMuted
    }
    TextField {
        id: seedField
        objectName: "faultSeed"
        visible: form.kind === "fail-rate"
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
        visible: form.kind === "latency-ms"
        text: qsTr("Delay (ms)")
        color: Theme.textMuted
    }
    SpinBox {
        id: latencyBox
        objectName: "faultLatency"
        visible: form.kind === "latency-ms"
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
        enabled: form.kind !== "clear"
    }
    RowLayout {
        Layout.fillWidth: true
        enabled: form.kind !== "clear"
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
            onAccepted: form.accepted()
        }
    }
}
