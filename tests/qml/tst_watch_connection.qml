import QtQuick
import QtTest
import Stickyboard.Ui
import Stickyboard.Test

// Watch mode (the harness watches a SQLite file): the header says "live"; when the table
// cannot be read the banner names the problem and the time of the last read, and the
// lanes dim; once readable again it is live and the change made meanwhile shows. Faults
// and backend buttons are off.
Item {
    id: stage
    width: 1280
    height: 800

    TestCase {
        id: testCase
        name: "WatchConnection"
        when: windowShown

        Component {
            id: mainComponent
            Main {}
        }

        function child(root, name) {
            const item = findChild(root, name);
            verify(item, "no item named " + name);
            return item;
        }

        function test_liveThenLostThenLiveAgain() {
            Settings.setValue("sideTab", 0); // other test files leave their tab behind
            const window = createTemporaryObject(mainComponent, null);
            verify(window);
            waitForRendering(window.contentItem);
            compare(Run.mode, "watch");
            tryCompare(Watch, "connectionState", "live");
            compare(Watch.connectionText, "polling every 100 ms (whole table)");
            const pill = child(window, "connectionPill");
            verify(pill.visible);
            const banner = child(window, "connectionBanner");
            verify(!banner.visible);
            compare(Faults.enabled, false);
            verify(Faults.disabledReason.indexOf("read-only") >= 0);
            compare(Faults.apply("fail-next=1").length > 0, true);
            // The side panel says what is watched instead of offering faults.
            const details = child(window, "watchDetails");
            tryVerify(() => details.visible, 5000, "watch details shown in the side panel");
            compare(child(details, "watchTable").text, "jobs");
            compare(Watch.columns, "id, last_backend_id, worker_id");
            verify(!child(window, "writesCounter").visible);
            // Lanes for the table's backends, with no state claimed and nothing to press.
            tryVerify(() => findChild(window.contentItem, "laneState_b1") !== null);
            verify(!findChild(window.contentItem, "laneState_b1").visible);
            verify(!findChild(window.contentItem, "takeOffline_b1").visible);

            // The operator's side renames the table away: the watch cannot read it.
            compare(WatchedDb.exec("ALTER TABLE jobs RENAME TO jobs_moved"), "");
            tryCompare(Watch, "connectionState", "reconnecting", 5000);
            tryCompare(banner, "visible", true);
            const message = child(banner, "connectionMessage");
            verify(message.text.indexOf("no such table") >= 0, message.text);
            verify(message.text.indexOf("as read at") >= 0, message.text);
            verify(Watch.lastReadMs > 0);
            compare(child(window, "mainViews").opacity < 1, true);

            // Back, with a switch made while it was away.
            compare(WatchedDb.exec("ALTER TABLE jobs_moved RENAME TO jobs"), "");
            compare(WatchedDb.exec("UPDATE jobs SET last_backend_id = 'b3' WHERE id = 'j1'"), "");
            tryCompare(Watch, "connectionState", "live", 20000);
            tryCompare(banner, "visible", false);
            tryCompare(Counters, "switches", 1, 5000);
        }
    }
}
