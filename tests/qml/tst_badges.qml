import QtQuick
import QtTest
import Stickyboard.Ui

// The persist badge of a job row follows the tracker: saving → saved, a failed write →
// "retry pending" with the failure count, the database stale while the job runs elsewhere,
// and back to saved when the retry succeeds.
// The items under test live in `stage` (TestCase itself is invisible, so nothing in it can
// be clicked).
Item {
    id: stage
    width: 1100
    height: 700

    TestCase {
        id: testCase
        name: "Badges"
        when: windowShown

        Component {
            id: tableComponent
            JobTable {
                width: 1100
                height: 700
            }
        }

        function ingest(job, backend) {
            compare(Run.ingest(JSON.stringify({
                job: job,
                worker: "w-" + job,
                backend: backend,
                cacheKey: "k-" + job
            })), "");
        }

        function badgeOf(table, job) {
            let badge = null;
            tryVerify(() => {
                badge = findChild(table, "persistBadge_" + job);
                return badge !== null;
            }, 5000, "a row for " + job);
            return badge;
        }

        function init() {
            Fleet.jobTable.text = "";
            Fleet.jobTable.backend = "";
            Fleet.jobTable.state = "";
        }

        function test_savingThenSaved() {
            const table = createTemporaryObject(tableComponent, stage);
            // Slow writes for this job only, so "saving" lasts long enough to be seen.
            compare(Faults.apply("latency-ms=1500,job=badge-slow"), "");
            Fleet.jobTable.text = "badge-slow";
            ingest("badge-slow", "bb1");
            const badge = badgeOf(table, "badge-slow");
            tryCompare(badge, "label", "saving…");
            // A first write in flight is not "db stale" yet, whatever the tracker's staleness.
            compare(badge.showsStale, false);
            tryCompare(badge, "label", "saved ✓", 5000);
            Faults.clear();
        }

        function test_failureShowsRetryPendingWithCount() {
            const table = createTemporaryObject(tableComponent, stage);
            Fleet.jobTable.text = "badge-fail";
            ingest("badge-fail", "bb1");
            const badge = badgeOf(table, "badge-fail");
            tryCompare(badge, "label", "saved ✓");

            compare(Faults.apply("fail-next=2,job=badge-fail"), "");
            ingest("badge-fail", "bb2");
            tryCompare(badge, "label", "retry pending · 1 failure");
            tryCompare(badge, "persistState", "retry pending");
            // The database still says bb1 while the job runs on bb2: stale.
            tryCompare(badge, "stale", true);

            ingest("badge-fail", "bb2");
            tryCompare(badge, "label", "retry pending · 2 failures");

            // The third write succeeds: saved, no longer stale.
            ingest("badge-fail", "bb2");
            tryCompare(badge, "label", "saved ✓");
            tryCompare(badge, "stale", false);
        }

        function test_staleShowsDbStale() {
            const table = createTemporaryObject(tableComponent, stage);
            Fleet.jobTable.text = "badge-stale";
            ingest("badge-stale", "bb1");
            const badge = badgeOf(table, "badge-stale");
            tryCompare(badge, "label", "saved ✓");

            compare(Faults.failNext("badge-stale", 1), "");
            ingest("badge-stale", "bb3");
            tryCompare(badge, "stale", true);
            tryCompare(badge, "showsStale", true);
            const marker = findChild(badge, "dbStaleMarker");
            verify(marker);
            verify(marker.visible);
            const staleWidth = badge.implicitWidth;

            ingest("badge-stale", "bb3");
            tryCompare(badge, "stale", false);
            compare(marker.visible, false);
            verify(badge.implicitWidth < staleWidth, "the db stale marker went away");
        }

        function test_detailBadgeFollowsSelection() {
            const detail = createTemporaryObject(detailComponent, stage);
            ingest("badge-detail", "bb1");
            Selection.job = "badge-detail";
            const badge = findChild(detail, "detailPersistBadge");
            verify(badge);
            tryCompare(badge, "label", "saved ✓");
            compare(Faults.failNext("badge-detail", 1), "");
            ingest("badge-detail", "bb2");
            tryCompare(badge, "label", "retry pending · 1 failure");
            tryCompare(badge, "stale", true);
            Selection.job = "";
        }

        Component {
            id: detailComponent
            JobDetail {
                width: 400
                height: 600
            }
        }
    }
}
