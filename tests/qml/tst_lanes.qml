import QtQuick
import QtTest
import Stickyboard.Ui

// Backend lanes: the buttons change the backend's state (lane and model agree), and the
// pets follow the tracker's rule: a pet moves only after its write succeeds; a failed write
// leaves it put and shows a ghost where the job runs, until the retry succeeds.
Item {
    id: stage
    width: 1000
    height: 720

    // The backends model as QML reads it, by role name.
    Instantiator {
        id: backendRows
        model: Fleet.backends
        delegate: QtObject {
            required property string backendId
            required property string state
        }
    }

    TestCase {
        id: testCase
        name: "Lanes"
        when: windowShown

        Component {
            id: lanesComponent
            LanesView {
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

        function modelState(backend) {
            for (let i = 0; i < backendRows.count; ++i) {
                const row = backendRows.objectAt(i);
                if (row && row.backendId === backend)
                    return row.state;
            }
            return "";
        }

        function createLanes() {
            const view = createTemporaryObject(lanesComponent, stage);
            verify(view);
            return view;
        }

        function initTestCase() {
            // Three backends, each known through a job on it.
            ingest("lane-a", "la");
            ingest("lane-b", "lb");
            ingest("lane-c", "lc");
            tryVerify(() => Fleet.backends.ids.indexOf("lc") >= 0);
        }

        function test_takeOfflineSaturateBringBack() {
            const view = createLanes();
            let button = null;
            tryVerify(() => (button = findChild(view, "takeOffline_lb")) !== null && button.visible);
            waitForRendering(view);
            const pill = findChild(view, "laneState_lb");
            compare(pill.label, "online");

            mouseClick(button);
            tryCompare(pill, "label", "offline");
            tryCompare(testCase, "lbState", "offline");
            // Offline offers the other two moves, not itself.
            verify(!findChild(view, "takeOffline_lb").visible);

            const saturate = findChild(view, "saturate_lb");
            verify(saturate.visible);
            mouseClick(saturate);
            tryCompare(pill, "label", "saturated");
            tryVerify(() => modelState("lb") === "saturated");

            const back = findChild(view, "bringBack_lb");
            verify(back.visible);
            mouseClick(back);
            tryCompare(pill, "label", "online");
            tryVerify(() => modelState("lb") === "online");
            // The other lanes were not touched.
            compare(modelState("la"), "online");
        }
        readonly property string lbState: modelState("lb")

        function test_lanesFollowBackends() {
            const view = createLanes();
            tryCompare(view, "laneCount", Fleet.backends.count);
            tryVerify(() => findChild(view, "lane_la") && findChild(view, "lane_lc"));
            const pets = view.petField;
            compare(pets.lanes, Fleet.backends.ids);
        }

        function test_petMovesOnlyAfterSuccessfulWrite() {
            const view = createLanes();
            const pets = view.petField;
            verify(pets);
            ingest("pet-1", "la");
            tryVerify(() => pets.petInfo("pet-1").lane === "la", 5000, "the pet stands in lane la");
            compare(pets.petInfo("pet-1").ghostVisible, false);

            // The write of the switch fails: the pet stays in la, a ghost shows it runs in lb.
            compare(Faults.failNext("pet-1", 1), "");
            ingest("pet-1", "lb");
            tryVerify(() => pets.petInfo("pet-1").ghostVisible === true, 5000, "a ghost appears");
            compare(pets.petInfo("pet-1").lane, "la");
            compare(pets.petInfo("pet-1").ghostLane, "lb");
            // Still there a moment later: nothing moves it but a successful write.
            wait(300);
            compare(pets.petInfo("pet-1").lane, "la");

            // The next event's retry succeeds: the pet walks over, the ghost goes.
            ingest("pet-1", "lb");
            tryVerify(() => pets.petInfo("pet-1").lane === "lb", 5000, "the pet moved to lb");
            tryVerify(() => pets.petInfo("pet-1").ghostVisible === false, 5000, "the ghost went");
        }

        function test_rightClickOnPetAsksForMenu() {
            const view = createLanes();
            const pets = view.petField;
            ingest("pet-2", "lc");
            tryVerify(() => pets.petInfo("pet-2").lane === "lc" && !pets.petInfo("pet-2").walking, 8000);
            waitForRendering(view);
            const info = pets.petInfo("pet-2");
            menuSpy.target = view;
            selectSpy.target = view;
            mouseClick(pets, info.x, info.y, Qt.RightButton);
            tryCompare(menuSpy, "count", 1);
            compare(menuSpy.signalArguments[0][0], "pet-2");
            mouseClick(pets, info.x, info.y, Qt.LeftButton);
            tryCompare(selectSpy, "count", 1);
            compare(Selection.job, "pet-2");
            Selection.job = "";
        }

        SignalSpy {
            id: menuSpy
            signalName: "jobMenuRequested"
        }
        SignalSpy {
            id: selectSpy
            signalName: "jobSelected"
        }
    }
}
