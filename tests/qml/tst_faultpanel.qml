import QtQuick
import QtTest
import Stickyboard.Ui

// The fault panel builds specs from its fields and hands them to the injector; errors show
// inline; "Clear all" empties the injector.
// The items under test live in `stage` (TestCase itself is invisible, so nothing in it can
// be clicked).
Item {
    id: stage
    width: 420
    height: 700

    TestCase {
        id: testCase
        name: "FaultPanel"
        when: windowShown

        Component {
            id: panelComponent
            FaultPanel {
                width: 420
                height: 700
            }
        }

        function createPanel() {
            const panel = createTemporaryObject(panelComponent, stage);
            verify(panel);
            // Layouts place their items at the next polish: click only once they are placed.
            waitForRendering(panel);
            return panel;
        }

        function child(panel, name) {
            const item = findChild(panel, name);
            verify(item, "no item named " + name);
            return item;
        }

        function typeInto(field, text) {
            mouseClick(field);
            tryVerify(() => field.activeFocus);
            keySequence(StandardKey.SelectAll);
            keyClick(Qt.Key_Delete);
            for (let i = 0; i < text.length; ++i)
                keyClick(text[i]);
            compare(field.text, text);
        }

        function pick(combo, index) {
            combo.currentIndex = index;
            combo.activated(index);
        }

        function findFault(predicate) {
            const faults = Faults.active;
            for (let i = 0; i < faults.length; ++i) {
                if (predicate(faults[i]))
                    return faults[i];
            }
            return null;
        }

        function init() {
            Faults.clear();
            tryVerify(() => Faults.active.length === 0);
        }

        function test_failNextForOneJob() {
            const panel = createPanel();
            pick(child(panel, "faultKind"), 0);
            child(panel, "faultCount").value = 3;
            pick(child(panel, "faultScope"), 2);
            typeInto(child(panel, "faultScopeId"), "fj1");
            compare(panel.spec, "fail-next=3,job=fj1");
            compare(child(panel, "faultSpecPreview").text, "fail-next=3,job=fj1");

            mouseClick(child(panel, "faultApply"));
            compare(panel.error, "");
            tryVerify(() => findFault(f => f.kind === "fail-next" && f.scope === "job" && f.scopeId === "fj1") !== null);
            const fault = findFault(f => f.scopeId === "fj1");
            compare(fault.remaining, 3);
            compare(fault.spec, "fail-next=3,job=fj1");
            // … and it is listed with what is left of it.
            const list = child(panel, "activeFaultList");
            tryCompare(list, "count", 1);
            verify(findChild(panel, "activeFault_fail-next=3,job=fj1"));
        }

        function test_failRateWithSeedForAWorker() {
            const panel = createPanel();
            pick(child(panel, "faultKind"), 1);
            child(panel, "faultRate").value = 0.5;
            typeInto(child(panel, "faultSeed"), "7");
            pick(child(panel, "faultScope"), 1);
            typeInto(child(panel, "faultScopeId"), "wk9");
            mouseClick(child(panel, "faultApply"));
            compare(panel.error, "");
            tryVerify(() => findFault(f => f.kind === "fail-rate" && f.scope === "worker" && f.scopeId === "wk9") !== null);
            verify(findFault(f => f.kind === "fail-rate").spec.indexOf("seed=7") >= 0);
        }

        function test_latencyForAll() {
            const panel = createPanel();
            pick(child(panel, "faultKind"), 2);
            child(panel, "faultLatency").value = 300;
            pick(child(panel, "faultScope"), 0);
            compare(panel.spec, "latency-ms=300");
            mouseClick(child(panel, "faultApply"));
            tryVerify(() => findFault(f => f.kind === "latency-ms" && f.scope === "all") !== null);
        }

        function test_offlineThenOnlineAndClearKind() {
            const panel = createPanel();
            pick(child(panel, "faultKind"), 3);
            pick(child(panel, "faultScope"), 0);
            mouseClick(child(panel, "faultApply"));
            tryVerify(() => findFault(f => f.kind === "offline") !== null);

            compare(Faults.apply("fail-next=1,job=fj-clear"), "");
            tryVerify(() => Faults.active.length === 2);
            pick(child(panel, "faultKind"), 5);
            compare(panel.spec, "clear");
            mouseClick(child(panel, "faultApply"));
            tryVerify(() => Faults.active.length === 0);
        }

        function test_missingIdIsReportedInline() {
            const panel = createPanel();
            pick(child(panel, "faultKind"), 0);
            pick(child(panel, "faultScope"), 2);
            typeInto(child(panel, "faultScopeId"), "");
            verify(!child(panel, "faultApply").enabled);
            panel.apply();
            verify(panel.error.length > 0);
            verify(child(panel, "faultError").visible);
            compare(Faults.active.length, 0);
        }

        function test_injectorErrorIsShownInline() {
            const panel = createPanel();
            pick(child(panel, "faultKind"), 1);
            pick(child(panel, "faultScope"), 0);
            // A seed beyond uint32: the parser refuses it, and says so.
            typeInto(child(panel, "faultSeed"), "9999999999");
            mouseClick(child(panel, "faultApply"));
            tryVerify(() => panel.error.length > 0);
            verify(child(panel, "faultError").visible);
            compare(Faults.active.length, 0);
        }

        function test_clearAll() {
            const panel = createPanel();
            compare(Faults.apply("fail-next=1,job=fj2"), "");
            compare(Faults.apply("latency-ms=10,worker=wk2"), "");
            const clear = child(panel, "faultClearAll");
            tryCompare(clear, "enabled", true);
            tryCompare(child(panel, "activeFaultList"), "count", 2);
            mouseClick(clear);
            tryVerify(() => Faults.active.length === 0);
            tryCompare(child(panel, "activeFaultList"), "count", 0);
        }

        function test_enabledFollowsFaults() {
            const panel = createPanel();
            // Ingest mode can inject faults; watch mode cannot (and says why).
            compare(Faults.enabled, true);
            compare(panel.enabled, true);
            compare(child(panel, "faultsDisabledBanner").visible, false);
        }
    }
}
