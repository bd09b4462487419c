import QtQuick
import QtTest
import Stickyboard.Ui

// The job table's filter row (text, backend, persist state) and column headers drive the
// C++ JobFilterModel, and the list shows what it lets through, in its order.
Item {
    id: stage
    width: 1100
    height: 800

    TestCase {
        id: testCase
        name: "JobTable"
        when: windowShown

        Component {
            id: tableComponent
            JobTable {
                width: stage.width
                height: stage.height
            }
        }

        function ingest(job, backend) {
            compare(Run.ingest(JSON.stringify({
                job: job,
                worker: "tw-" + job,
                backend: backend
            })), "");
        }

        function createTable() {
            const table = createTemporaryObject(tableComponent, stage);
            verify(table);
            waitForRendering(table);
            return table;
        }

        function shownJobs(list) {
            const jobs = [];
            for (let i = 0; i < list.count; ++i) {
                list.positionViewAtIndex(i, ListView.Contain);
                const row = list.itemAtIndex(i);
                jobs.push(row ? row.jobId : "?");
            }
            list.positionViewAtBeginning();
            return jobs;
        }

        function typeInto(field, text) {
            mouseClick(field);
            keySequence(StandardKey.SelectAll);
            keyClick(Qt.Key_Delete);
            for (const c of text)
                keyClick(c);
        }

        function pick(combo, text) {
            const index = combo.find(text);
            verify(index >= 0, "no entry " + text + " in " + combo.objectName);
            combo.currentIndex = index;
            combo.activated(index);
        }

        function initTestCase() {
            // tj-1 … tj-12 on two backends, all saved.
            for (let i = 1; i <= 12; ++i)
                ingest("tj-" + i, i % 2 ? "tb-odd" : "tb-even");
            tryVerify(() => Counters.retryPending === 0 && Counters.jobCount >= 12, 5000);
        }

        function init() {
            Fleet.jobTable.text = "";
            Fleet.jobTable.backend = "";
            Fleet.jobTable.state = "";
            Fleet.jobTable.sortBy("", true);
        }

        function test_textFilter() {
            const table = createTable();
            const list = findChild(table, "jobTableList");
            typeInto(findChild(table, "jobSearch"), "tj-1");
            compare(Fleet.jobTable.text, "tj-1");
            // tj-1, tj-10, tj-11, tj-12 (substring of the job id).
            tryCompare(list, "count", 4);
            compare(shownJobs(list).sort(), ["tj-1", "tj-10", "tj-11", "tj-12"]);
            // The worker id matches too.
            typeInto(findChild(table, "jobSearch"), "tw-tj-7");
            tryCompare(list, "count", 1);
            compare(shownJobs(list), ["tj-7"]);
        }

        function test_backendFilter() {
            const table = createTable();
            const list = findChild(table, "jobTableList");
            Fleet.jobTable.text = "tj-";
            tryCompare(list, "count", 12);
            const combo = findChild(table, "backendFilter");
            tryVerify(() => combo.find("tb-even") >= 0);
            pick(combo, "tb-even");
            compare(Fleet.jobTable.backend, "tb-even");
            tryCompare(list, "count", 6);
            verify(shownJobs(list).every(j => Number(j.slice(3)) % 2 === 0));
            pick(combo, "All backends");
            compare(Fleet.jobTable.backend, "");
            tryCompare(list, "count", 12);
        }

        function test_stateFilter() {
            const table = createTable();
            const list = findChild(table, "jobTableList");
            Fleet.jobTable.text = "tj-";
            tryCompare(list, "count", 12);
            // tj-5's next write fails: it is the only job with a retry pending.
            compare(Faults.failNext("tj-5", 1), "");
            ingest("tj-5", "tb-even");
            tryVerify(() => Counters.retryPending >= 1);
            pick(findChild(table, "stateFilter"), "retry pending");
            compare(Fleet.jobTable.state, "retry pending");
            tryCompare(list, "count", 1);
            compare(shownJobs(list), ["tj-5"]);
            pick(findChild(table, "stateFilter"), "db stale");
            compare(Fleet.jobTable.state, "stale");
            tryCompare(list, "count", 1);
            // The retry succeeds: nothing is pending any more.
            pick(findChild(table, "stateFilter"), "retry pending");
            ingest("tj-5", "tb-even");
            tryCompare(list, "count", 0);
            pick(findChild(table, "stateFilter"), "saved");
            tryCompare(list, "count", 12);
        }

        function test_sortByHeader() {
            const table = createTable();
            const list = findChild(table, "jobTableList");
            Fleet.jobTable.text = "tj-";
            tryCompare(list, "count", 12);
            const header = findChild(table, "sortHeader_jobId");
            mouseClick(header);
            compare(Fleet.jobTable.sortRoleName, "jobId");
            compare(Fleet.jobTable.sortAscending, true);
            // Natural order: tj-2 before tj-10.
            tryVerify(() => shownJobs(list).join() === "tj-1,tj-2,tj-3,tj-4,tj-5,tj-6,tj-7,tj-8,tj-9,tj-10,tj-11,tj-12");
            mouseClick(header);
            compare(Fleet.jobTable.sortAscending, false);
            tryVerify(() => shownJobs(list)[0] === "tj-12" && shownJobs(list)[11] === "tj-1");

            // Another column sorts by its role: backend groups tb-even before tb-odd.
            mouseClick(findChild(table, "sortHeader_backend"));
            compare(Fleet.jobTable.sortRoleName, "backend");
            tryVerify(() => {
                const jobs = shownJobs(list);
                return jobs.slice(0, 6).every(j => Number(j.slice(3)) % 2 === 0) && jobs.slice(6).every(j => Number(j.slice(3)) % 2 === 1);
            });
        }

        function test_rowClicksSelectAndAskForMenu() {
            const table = createTable();
            const list = findChild(table, "jobTableList");
            Fleet.jobTable.text = "tj-3";
            tryCompare(list, "count", 1);
            let row = null;
            tryVerify(() => (row = findChild(table, "jobRow_tj-3")) !== null);
            menuSpy.target = table;
            mouseClick(row, 20, row.height / 2, Qt.RightButton);
            compare(menuSpy.count, 1);
            compare(menuSpy.signalArguments[0][0], "tj-3");
            mouseClick(row);
            compare(Selection.job, "tj-3");
            verify(row.selected);
            Selection.job = "";
        }

        SignalSpy {
            id: menuSpy
            signalName: "jobMenuRequested"
        }
    }
}
