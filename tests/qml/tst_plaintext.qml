import QtQuick
import QtQuick.Controls
import QtTest
import Stickyboard.Ui
import Stickyboard.Test

// Outside text is shown as plain text everywhere: ids that look like markup render
// literally (lanes, grid, event log, job detail), and an `<img src=...>` id never makes the
// window fetch anything (NetProbe counts connections to the address in the id).
Item {
    id: stage
    width: 200
    height: 200

    TestCase {
        id: testCase
        name: "PlainText"
        when: windowShown

        Component {
            id: mainComponent
            Main {}
        }
        Component {
            id: referenceComponent
            Text {
                textFormat: Text.PlainText
            }
        }

        // As in the issue, and quoted: Qt's HTML parser fetches the quoted form for sure.
        readonly property string img: "<img src=http://127.0.0.1:" + NetProbe.port + "/x.png>"
        readonly property string imgQuoted: "<img src=\"http://127.0.0.1:" + NetProbe.port + "/y.png\">"
        readonly property string bold: "<b>b2</b>"
        property var window: null

        function init() {
            window = createTemporaryObject(mainComponent, null);
            verify(window);
            window.requestActivate();
            tryVerify(() => window.active, 5000, "the main window is active");
        }

        function ingest(job, worker, backend, cacheKey) {
            compare(Run.ingest(JSON.stringify({
                job: job,
                worker: worker,
                backend: backend,
                cacheKey: cacheKey
            })), "");
        }

        function walk(item, visit) {
            if (!item)
                return;
            visit(item);
            for (let i = 0; i < item.children.length; ++i)
                walk(item.children[i], visit);
        }

        /// Every visible text item that shows one of the markup strings shows it as plain text.
        function checkEveryText(where) {
            let seen = 0;
            const check = item => {
                if (item.textFormat === undefined || typeof item.text !== "string")
                    return;
                if (!item.visible || !(item.text.includes(img) || item.text.includes(imgQuoted) || item.text.includes(bold)))
                    return;
                ++seen;
                compare(item.textFormat, Text.PlainText, where + ": '" + item.text + "' in " + item + " (" + item.objectName + ")");
            };
            walk(window.contentItem, check);
            walk(window.overlay, check);
            return seen;
        }

        function test_markupIdsRenderLiterally() {
            window.setViewMode("lanes");
            window.setSidePanelOpen(true);
            ingest(img, "w-img", img, img);
            ingest(imgQuoted, "w-img2", imgQuoted, imgQuoted);
            ingest(bold, bold, bold, bold);
            ingest("j-plain", "w-plain", bold, null);
            waitForRendering(window.contentItem);
            // The lanes (backend names, pets' labels, the event log in the side panel).
            tryVerify(() => checkEveryText("lanes") > 0, 5000, "the lanes show the ids");
            // The grid (job table rows).
            window.setViewMode("grid");
            waitForRendering(window.contentItem);
            tryVerify(() => checkEveryText("grid") > 0, 5000, "the grid shows the ids");
            // Each tab of the side panel.
            for (let tab = 1; tab <= 3; ++tab) {
                keyClick(Qt.Key_0 + tab, Qt.ControlModifier);
                waitForRendering(window.contentItem);
                checkEveryText("side tab " + tab);
            }

            // What a person sees: "<b>b2</b>" is as wide as the literal string, not as "b2".
            let shown = null;
            walk(window.contentItem, item => {
                if (!shown && item.visible && item.text === bold && item.textFormat !== undefined)
                    shown = item;
            });
            verify(shown, "some item shows the id " + bold);
            const reference = createTemporaryObject(referenceComponent, stage, {
                text: bold,
                font: shown.font
            });
            compare(shown.implicitWidth, reference.implicitWidth);

            // The <img> was never fetched: give a fetch time to happen, then count.
            wait(1500);
            compare(NetProbe.connections, 0, "the window fetched the URL in an id");
        }
    }
}
