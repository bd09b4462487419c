import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Stickyboard.Ui

/*
 * The simulation's controls: pause/resume, speed (0.25×–8×, in doublings), scenario
 * presets, and the seed that makes the run repeatable.
 */
RowLayout {
    id: controls
    objectName: "simControls"

    readonly property var speeds: [0.25, 0.5, 1, 2, 4, 8]

    function speedIndex(speed: real): int {
        let best = 0;
        for (let i = 0; i < speeds.length; ++i) {
            if (Math.abs(speeds[i] - speed) < Math.abs(speeds[best] - speed))
                best = i;
        }
        return best;
    }
    function formatSpeed(speed: real): string {
        return (speed < 1 ? speed.toString() : speed.toFixed(0)) + "×";
    }

    spacing: 10
    visible: Simulation.available

    ActionButton {
        objectName: "pauseButton"
        text: Simulation.paused ? qsTr("▶  Resume") : qsTr("❚❚  Pause")
        primary: Simulation.paused
        Layout.preferredWidth: 104
        Accessible.name: Simulation.paused ? qsTr("Resume simulation") : qsTr("Pause simulation")
        ToolTip.text: (Simulation.paused ? qsTr("Resume") : qsTr("Pause")) + qsTr(" the simulation (Space)")
        onClicked: Simulation.paused = !Simulation.paused
    }

    Label {
        textFormat: Text.PlainText
        text: qsTr("Speed")
        color: Theme.textMuted
    }
    Slider {
        id: speedSlider
        objectName: "speedSlider"
        from: 0
        to: controls.speeds.length - 1
        stepSize: 1
        snapMode: Slider.SnapAlways
        value: controls.speedIndex(Simulation.speed)
        Layout.preferredWidth: 100
        Accessible.name: qsTr("Simulation speed")
        ToolTip.text: qsTr("Simulation speed, 0.25× to 8×")
        ToolTip.visible: hovered
        ToolTip.delay: 500
        onMoved: Simulation.speed = controls.speeds[Math.round(value)]
    }
    Label {
        textFormat: Text.PlainText
        objectName: "speedLabel"
        text: controls.formatSpeed(Simulation.speed)
        font.weight: Font.DemiBold
        Layout.preferredWidth: 34
    }

    Rectangle {
        Layout.preferredWidth: 1
        Layout.preferredHeight: 22
        color: Theme.border
    }

    ComboBox {
        id: scenarioBox
        objectName: "scenarioBox"
        model: Simulation.scenarios
        textRole: "label"
        valueRole: "name"
        displayText: {
            const list = Simulation.scenarios;
            for (let i = 0; i < list.length; ++i) {
                if (list[i].name === Simulation.scenario)
                    return list[i].label;
            }
            return Simulation.scenario.length ? Simulation.scenario : qsTr("Scenario…");
        }
        Layout.preferredWidth: 170
        Accessible.name: qsTr("Scenario preset")
        ToolTip.text: qsTr("Run a scripted scenario: outages, saturation, failing writes")
        ToolTip.visible: hovered
        ToolTip.delay: 500
        onActivated: index => Simulation.runScenario(scenarioBox.valueAt(index))
    }
    ActionButton {
        objectName: "stopScenarioButton"
        text: qsTr("Stop")
        flat: true
        visible: Simulation.scenario.length > 0
        Accessible.name: qsTr("Stop scenario")
        onClicked: Simulation.stopScenario()
    }
    Rectangle {
        objectName: "scenarioLabel"
        visible: Simulation.scenario.length > 0
        implicitWidth: runningText.implicitWidth + 16
        implicitHeight: 20
        radius: 10
        color: Theme.accentSoft
        Text {
            id: runningText
            textFormat: Text.PlainText
            anchors.centerIn: parent
            text: qsTr("scenario running")
            color: Theme.accent
            font.pixelSize: Theme.fontSmall
            font.weight: Font.DemiBold
        }
    }
    Label {
        textFormat: Text.PlainText
        objectName: "seedLabel"
        text: qsTr("seed %1").arg(Simulation.seed)
        color: Theme.textFaint
        font.family: Theme.monoFamily
        font.pixelSize: Theme.fontSmall
    }
}
