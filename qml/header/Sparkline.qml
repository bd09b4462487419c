import QtQuick
import QtQuick.Shapes
import Stickyboard.Ui

/*
 * A small area chart of counts per time bucket (ActivityHistory), newest on the right.
 * One Shape, two paths: the soft fill and the line. `peak` scales it, so two sparklines
 * that share a peak can be compared at a glance.
 */
Item {
    id: spark

    property var values: []
    property int peak: 0
    property color color: Theme.accent
    property string caption: ""

    readonly property int total: {
        let sum = 0;
        for (let i = 0; i < values.length; ++i)
            sum += values[i];
        return sum;
    }
    readonly property real scale: Math.max(1, peak)
    readonly property var points: {
        const n = values.length;
        const w = width;
        const h = height - 2;
        const result = [];
        if (n === 0)
            return [Qt.point(0, h), Qt.point(w, h)];
        const step = n > 1 ? w / (n - 1) : w;
        for (let i = 0; i < n; ++i)
            result.push(Qt.point(i * step, 1 + h - h * Math.min(1, values[i] / scale)));
        if (n === 1)
            result.push(Qt.point(w, result[0].y));
        return result;
    }
    readonly property var area: {
        const h = height;
        const pts = points.slice();
        pts.push(Qt.point(width, h));
        pts.push(Qt.point(0, h));
        pts.push(pts[0]);
        return pts;
    }

    implicitWidth: 120
    implicitHeight: 28

    Accessible.role: Accessible.Chart
    Accessible.name: qsTr("%1: %2 in the last minutes").arg(caption).arg(total)

    Rectangle {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        height: 1
        color: Theme.border
    }

    Shape {
        anchors.fill: parent

        ShapePath {
            strokeWidth: -1
            fillColor: Theme.tint(spark.color, 0.16)
            PathPolyline {
                path: spark.area
            }
        }
        ShapePath {
            strokeWidth: 1.6
            strokeColor: spark.color
            fillColor: "transparent"
            joinStyle: ShapePath.RoundJoin
            capStyle: ShapePath.RoundCap
            PathPolyline {
                path: spark.points
            }
        }
    }
}
