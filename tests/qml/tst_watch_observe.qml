import QtQuick
import QtTest
import Stickyboard.Ui
import Stickyboard.Test

// Production truth in the window (issue 12): the harness watches a SQLite jobs table (j1 on
// b1, j2 on b2) and follows a gateway log with a grace of 3 s. A job the gateway serves
// elsewhere than its row says is "saving" within the grace, then stale: the pet stays in the
// table's lane and a ghost stands where the job runs, with the age. When the table catches
// up the pet walks over, the log says "recovered after", and the figures go back to 0.
Item {
    id: stage
    width: 1280
    height: 800

    TestCase {
        id: testCase
        name: "WatchObserve"
        when: windowShown

        Component {
            id: mainComponent
            Main {}
        }

        property var window: null

        function child(name) {
            const item = findChild(window.contentItem, name);
            verify(item, "no item named " + name);
            return item;
        }

        function serve(job, backend) {
            GatewayLog.append(JSON.stringify({
                job: job,
                worker: "w-" + job,
                backend: backend,
                cacheKey: "k-" + job
            }));
        }

        // Every entry the event log shows: {kind, job, message}.
        function logRows() {
            const list = child("eventList");
            const result = [];
            for (let i = 0; i < list.count; ++i) {
                list.positionViewAtIndex(i, ListView.Contain);
                const item = list.itemAtIndex(i);
                if (item)
                    result.push({
                        kind: item.kindName,
                        job: item.job,
                        message: item.message
                    });
            }
            return result;
        }

        function initTestCase() {
            Settings.setValue("viewMode", "lanes");
            Settings.setValue("sideTab", 1);
            // One window for every step: the steps follow one fleet's story.
            window = mainComponent.createObject(null);
            verify(window);
            waitForRendering(window.contentItem);
            tryCompare(Watch, "connectionState", "live", 10000);
            compare(Watch.staleAfterS, 3);
            tryVerify(() => child("petField").petInfo("j1").lane === "b1", 10000, "j1's pet in b1");
        }

        function cleanupTestCase() {
            window.destroy();
        }

        function test_1_lostWriteGoesStaleThenRecovers() {
            const field = child("petField");
            serve("j1", "b2");
            // Within the grace: the workers' write may still land. Saving, no alarm.
            tryCompare(Watch, "pendingJobs", 1, 6000);
            compare(Watch.staleJobs, 0);
            verify(!field.petInfo("j1").ghostVisible, "no ghost while pending");
            compare(field.petInfo("j1").persistState, "saving");

            // Past the grace: stale. The pet stays where the table says, the ghost stands
            // where the gateway serves the job, and the header counts it.
            tryCompare(Watch, "staleJobs", 1, 10000);
            compare(Watch.pendingJobs, 0);
            verify(Watch.oldestStaleSinceMs > 0);
            let info = field.petInfo("j1");
            compare(info.lane, "b1");
            verify(info.ghostVisible);
            compare(info.ghostLane, "b2");
            compare(info.persistState, "stale");
            compare(child("staleCounter").value, "1");
            verify(child("oldestStaleCounter").value.indexOf("s") > 0);
            tryVerify(() => logRows().some(r => r.kind === "stale" && r.job === "j1"), 10000, "a stale entry for j1");

            // The worker finally writes: the pet walks to b2, the ghost goes, and the log
            // says how long the row was stale.
            compare(WatchedDb.exec("UPDATE jobs SET last_backend_id = 'b2' WHERE id = 'j1'"), "");
            tryVerify(() => field.petInfo("j1").lane === "b2", 10000, "j1's pet walked to b2");
            tryCompare(Watch, "staleJobs", 0, 10000);
            verify(!field.petInfo("j1").ghostVisible || field.petInfo("j1").ghostLane === "");
            compare(Watch.oldestStaleSinceMs, 0);
            tryCompare(Watch, "recovered", 1, 10000);
            tryVerify(() => logRows().some(r => r.kind === "recovery" && r.job === "j1" && r.message.indexOf("recovered after") >= 0), 10000, "a recovery entry for j1");
        }

        function test_2_writeWithinTheGraceNeverAlarms() {
            const field = child("petField");
            serve("j2", "b3");
            tryCompare(Watch, "pendingJobs", 1, 6000);
            // The worker writes within the grace, as a healthy one does.
            compare(WatchedDb.exec("UPDATE jobs SET last_backend_id = 'b3' WHERE id = 'j2'"), "");
            tryVerify(() => field.petInfo("j2").lane === "b3", 10000, "j2's pet walked to b3");
            tryCompare(Watch, "pendingJobs", 0, 10000);
            wait(3500); // past the grace: it must not turn stale now
            compare(Watch.staleJobs, 0);
            verify(!field.petInfo("j2").ghostVisible);
            compare(Watch.recovered, 1, "only j1's recovery is counted");
        }

        function test_3_timelineShowsTableAndGatewaySideBySide() {
            // Stickyboard's own history (--history): j1's timeline holds what the gateway
            // served, the stale period, the recovery and the table's switch.
            window.showTab(2);
            Selection.job = "j1";
            const list = child("historyList");
            const kinds = () => {
                const result = [];
                for (let i = 0; i < list.count; ++i) {
                    list.positionViewAtIndex(i, ListView.Contain);
                    const item = list.itemAtIndex(i);
                    if (item)
                        result.push(item.kind);
                }
                return result;
            };
            tryVerify(() => ["observed", "stale", "recovered", "switch"].every(k => kinds().indexOf(k) >= 0), 10000, "j1's timeline: " + JSON.stringify(kinds()));
            Selection.job = "";
        }

        function test_4_inputHealth() {
            // The followed log is an input with its lines and bad lines counted.
            GatewayLog.append("this is not JSON");
            tryVerify(() => Watch.inputs.length === 1 && Watch.inputs[0].badLines === 1, 10000, "the bad line is counted");
            const input = Watch.inputs[0];
            compare(input.kind, "file");
            verify(input.name.indexOf("gateway.jsonl") >= 0);
            compare(input.lines, 3); // j1, j2 and the bad line
            verify(input.lastLineMs > 0);
            compare(input.quiet, false);
            compare(Watch.quietInputs, 0);
            verify(!child("connectionBanner").visible, "a log that just spoke is not quiet");
        }
    }
}
