import QtQuick
import QtTest
import Stickyboard.Ui

// The event log's kind chips and text filter filter the list (the filtering itself is the
// C++ EventLogFilter: here we check the view drives it and shows what it lets through).
Item {
    id: stage
    width: 420
    height: 900

    TestCase {
        id: testCase
        name: "EventLog"
        when: windowShown

        Component {
            id: logComponent
            EventLogView {
                width: stage.width
                height: stage.height
            }
        }

        function ingest(job, backend) {
            compare(Run.ingest(JSON.stringify({
                job: job,
                worker: "w-" + job,
                backend: backend
            })), "");
        }

        // Every row the list shows right now (all delegates, not only the visible ones).
        function rows(list) {
            const result = [];
            for (let i = 0; i < list.count; ++i) {
                list.positionViewAtIndex(i, ListView.Contain);
                const item = list.itemAtIndex(i);
                if (item)
                    result.push({
                        kind: item.kindName,
                        job: item.job,
                        worker: item.worker
                    });
            }
            list.positionViewAtBeginning();
            return result;
        }

        function logged() {
            return Fleet.eventLog.sourceModel.rowCount();
        }

        // One event, and wait until the log has its entry (so writes do not coalesce).
        function step(job, backend) {
            const before = logged();
            ingest(job, backend);
            tryVerify(() => logged() > before, 5000, "an entry for " + job + " → " + backend);
        }

        function initTestCase() {
            // A resolution each, a switch, then a failed write and its recovery.
            step("ev-1", "eb1");
            step("ev-2", "eb1");
            step("ev-1", "eb2");
            compare(Faults.failNext("ev-2", 1), "");
            const before = logged();
            ingest("ev-2", "eb3");
            ingest("ev-2", "eb3");
            tryVerify(() => logged() >= before + 2, 5000, "failure and recovery logged");
        }

        function init() {
            Fleet.eventLog.kinds = [];
            Fleet.eventLog.text = "";
        }

        function test_kindChipsFilter() {
            const view = createTemporaryObject(logComponent, stage);
            waitForRendering(view);
            const list = findChild(view, "eventList");
            tryVerify(() => list.count >= 6);
            const all = list.count;

            const failures = findChild(view, "kindChip_failure");
            mouseClick(failures);
            verify(failures.checked);
            compare(Fleet.eventLog.kinds, ["failure"]);
            tryVerify(() => list.count > 0 && list.count < all, 5000, "only failures are left");
            const shown = rows(list);
            verify(shown.length > 0);
            for (const row of shown)
                compare(row.kind, "failure");

            // A second chip adds its kind.
            mouseClick(findChild(view, "kindChip_recovery"));
            compare(Fleet.eventLog.kinds.length, 2);
            tryVerify(() => {
                const kinds = rows(list).map(r => r.kind);
                return kinds.indexOf("recovery") >= 0 && kinds.indexOf("failure") >= 0 && kinds.every(k => k === "failure" || k === "recovery");
            }, 5000, "failures and recoveries");

            // Unchecking every chip shows every kind again.
            mouseClick(failures);
            mouseClick(findChild(view, "kindChip_recovery"));
            compare(Fleet.eventLog.kinds.length, 0);
            tryCompare(list, "count", all);
        }

        function test_switchChipShowsSwitches() {
            const view = createTemporaryObject(logComponent, stage);
            waitForRendering(view);
            const list = findChild(view, "eventList");
            mouseClick(findChild(view, "kindChip_switch"));
            tryVerify(() => list.count > 0 && rows(list).every(r => r.kind === "switch"));
            verify(rows(list).some(r => r.job === "ev-1"), "ev-1's switch to eb2 is listed");
        }

        function test_textFilter() {
            const view = createTemporaryObject(logComponent, stage);
            waitForRendering(view);
            const list = findChild(view, "eventList");
            const search = findChild(view, "eventSearch");
            mouseClick(search);
            for (const c of "ev-2")
                keyClick(c);
            compare(Fleet.eventLog.text, "ev-2");
            tryVerify(() => list.count > 0 && rows(list).every(r => r.job === "ev-2" || r.worker === "w-ev-2"), 5000, "only ev-2's events");
            verify(rows(list).some(r => r.kind === "failure"));

            // Text and kind together.
            mouseClick(findChild(view, "kindChip_recovery"));
            tryVerify(() => list.count === 1 && rows(list)[0].kind === "recovery" && rows(list)[0].job === "ev-2");

            keyClick(Qt.Key_Escape); // clears the field
            search.text = "";
            compare(Fleet.eventLog.text, "");
        }

        function test_newestFirst() {
            const view = createTemporaryObject(logComponent, stage);
            waitForRendering(view);
            const list = findChild(view, "eventList");
            ingest("ev-latest", "eb1");
            tryVerify(() => list.itemAtIndex(0) && list.itemAtIndex(0).job === "ev-latest");
        }
    }
}
