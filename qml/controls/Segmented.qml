pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/// A small segmented control: one of a few options, e.g. lanes / grid or the theme.
Rectangle {
    id: control

    /// [{value, label, tip}]
    property var options: []
    property string current: ""
    property string namePrefix: "segment"

    signal picked(string value)

    implicitWidth: row.implicitWidth + 6
    implicitHeight: 30
    radius: Theme.radiusSmall + 2
    color: Theme.surfaceSunken
    border.color: Theme.border

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 2

        Repeater {
            model: control.options
            delegate: AbstractButton {
                id: segment
                required property var modelData
                readonly property bool active: control.current === modelData.value

                objectName: control.namePrefix + "_" + modelData.value
                text: modelData.label
                hoverEnabled: true
                implicitWidth: implicitContentWidth + 22
                implicitHeight: 24
                Accessible.role: Accessible.RadioButton
                Accessible.name: text
                Accessible.checked: active
                ToolTip.text: modelData.tip ?? ""
                ToolTip.visible: hovered && ToolTip.text.length > 0
                ToolTip.delay: 500
                onClicked: control.picked(modelData.value)

                background: Rectangle {
                    radius: Theme.radiusSmall
                    color: segment.active ? Theme.surface : segment.hovered ? Theme.hover : "transparent"
                    border.color: segment.active ? Theme.border : "transparent"
                    Behavior on color {
                        ColorAnimation {
                            duration: 120
                        }
                    }
                }
                contentItem: Text {
                    textFormat: Text.PlainText
                    text: segment.text
                    color: segment.active ? Theme.text : Theme.textMuted
                    font.pixelSize: Theme.fontSmall + 1
                    font.weight: segment.active ? Font.DemiBold : Font.Normal
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }
    }
}
