import QtQuick
import QtQuick.Controls
import Stickyboard.Ui

/*
 * The app's button: `primary` is filled with the accent, otherwise a calm outlined button;
 * `flat` drops the outline. `tone` tints it for actions of a kind (faults, danger).
 */
AbstractButton {
    id: button

    property bool primary: false
    property bool flat: false
    property color tone: Theme.accent

    hoverEnabled: true
    implicitWidth: Math.max(64, implicitContentWidth + 24)
    implicitHeight: 30
    Accessible.role: Accessible.Button

    // Callers set ToolTip.text; a plain-text tooltip shows it (ids appear in it).
    PlainToolTip {
        visible: button.hovered && text.length > 0
        text: button.ToolTip.text
        delay: 500
    }

    background: Rectangle {
        radius: Theme.radiusSmall
        opacity: button.enabled ? 1 : 0.45
        color: {
            if (button.primary)
                return button.down ? Qt.darker(button.tone, 1.15) : button.hovered ? Qt.lighter(button.tone, 1.08) : button.tone;
            if (button.down)
                return Theme.tint(button.tone, 0.2);
            if (button.hovered)
                return Theme.hover;
            return button.flat ? "transparent" : Theme.surface;
        }
        border.width: button.primary || button.flat ? 0 : 1
        border.color: button.visualFocus ? button.tone : Theme.borderStrong

        Behavior on color {
            ColorAnimation {
                duration: 120
            }
        }
    }
    contentItem: Text {
        textFormat: Text.PlainText
        text: button.text
        color: button.primary ? Theme.textOnAccent : button.flat ? button.tone : Theme.text
        opacity: button.enabled ? 1 : 0.5
        font.pixelSize: Theme.fontNormal
        font.weight: Font.DemiBold
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        elide: Text.ElideRight
    }
}
