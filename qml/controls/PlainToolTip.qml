import QtQuick
import QtQuick.Controls

/*
 * A tooltip that shows its text as plain text. The attached ToolTip renders markup
 * (AutoText): a backend id or a database error like `<img src=...>` would be fetched.
 */
ToolTip {
    id: tip

    contentItem: Text {
        text: tip.text
        textFormat: Text.PlainText
        font: tip.font
        wrapMode: Text.Wrap
        color: tip.palette.toolTipText
    }
}
