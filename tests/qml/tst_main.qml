import QtQuick
import QtQuick.Controls
import QtTest
import Stickyboard.Ui

// The whole window: keyboard shortcuts, remembered options, the theme switch, and the job
// context menu with its "fail next N" popup.
Item {
    id: stage
    width: 200
    height: 200

    TestCase {
        id: testCase
        name: "Main"
        when: windowShown

        Component {
            id: mainComponent
            Main {}
        }

        property var window: null

        function init() {
            window = createTemporaryObject(mainComponent, null);
            verify(window);
            window.requestActivate();
            tryVerify(() => window.active, 5000, "the main window is active");
            waitForRendering(window.contentItem);
        }

        function child(name) {
            const item = findChild(window.contentItem, name) ?? findChild(window.overlay, name);
            verify(item, "no item named " + name);
            return item;
        }

        function findFault(predicate) {
            return Faults.active.find(predicate) ?? null;
        }

        function test_toggleViewWithG() {
            window.setViewMode("lanes");
            const views = child("mainViews");
            compare(views.currentIndex, 0);
            keyClick(Qt.Key_G);
            compare(window.viewMode, "grid");
            compare(views.currentIndex, 1);
            compare(String(Settings.value("viewMode")), "grid");
            keyClick(Qt.Key_G);
            compare(views.currentIndex, 0);
            compare(String(Settings.value("viewMode")), "lanes");
        }

        function test_autoViewPicksGridForBigFleets() {
            window.setViewMode("auto");
            // The fixture is small: lanes.
            verify(!window.manyJobs);
            compare(child("mainViews").currentIndex, 0);
            mouseClick(child("view_grid"));
            compare(window.viewMode, "grid");
            compare(child("mainViews").currentIndex, 1);
        }

        function test_faultPanelShortcutAndTabs() {
            window.setSidePanelOpen(true);
            keyClick(Qt.Key_2, Qt.ControlModifier);
            compare(child("sidePanel").currentTab, 1);
            keyClick(Qt.Key_3, Qt.ControlModifier);
            compare(child("sidePanel").currentTab, 2);
            compare(Number(Settings.value("sideTab")), 2);
            keyClick(Qt.Key_1, Qt.ControlModifier);
            compare(child("sidePanel").currentTab, 0);

            // F on the fault tab hides the panel; F again shows it on the fault tab.
            keyClick(Qt.Key_F);
            compare(window.sidePanelOpen, false);
            compare(String(Settings.value("sidePanel")), "false");
            keyClick(Qt.Key_2, Qt.ControlModifier);
            compare(window.sidePanelOpen, true);
            keyClick(Qt.Key_F);
            compare(window.sidePanelOpen, true);
            compare(child("sidePanel").currentTab, 0);
        }

        function test_searchShortcutFocusesSearch() {
            window.setViewMode("lanes");
            keyClick(Qt.Key_F, Qt.ControlModifier);
            compare(child("mainViews").currentIndex, 1);
            tryVerify(() => child("jobSearch").activeFocus);
            // Typing goes to the field, not to the G and F shortcuts.
            keyClick(Qt.Key_G);
            keyClick(Qt.Key_F);
            compare(child("jobSearch").text, "gf");
            compare(window.viewMode, "grid");
            child("jobSearch").text = "";
        }

        function test_clearFaultsShortcut() {
            compare(Faults.apply("fail-next=5,job=main-x"), "");
            tryVerify(() => Faults.active.length > 0);
            keyClick(Qt.Key_X, Qt.ControlModifier | Qt.ShiftModifier);
            tryVerify(() => Faults.active.length === 0);
        }

        function test_themeSwitch() {
            mouseClick(child("theme_dark"));
            compare(Theme.mode, "dark");
            verify(Theme.dark);
            compare(String(Settings.value("theme")), "dark");
            compare(window.color, Theme.background);
            mouseClick(child("theme_light"));
            verify(!Theme.dark);
            compare(String(Settings.value("theme")), "light");
            mouseClick(child("theme_system"));
            compare(Theme.mode, "system");
        }

        function test_jobMenuFailsNextWrite() {
            Faults.clear();
            const menu = child("jobMenu") ?? null;
            menu.openFor("menu-1");
            tryCompare(menu, "opened", true);
            mouseClick(findChild(menu.contentItem, "jobMenuFailOne"));
            tryVerify(() => findFault(f => f.scopeId === "menu-1" && f.kind === "fail-next" && f.remaining === 1) !== null);
            tryCompare(menu, "visible", false);
            Faults.clear();
        }

        function test_jobMenuFailsNextNWrites() {
            Faults.clear();
            const menu = child("jobMenu");
            menu.openFor("menu-2");
            tryCompare(menu, "opened", true);
            mouseClick(findChild(menu.contentItem, "jobMenuFailN"));
            const popup = child("failNextPopup");
            tryCompare(popup, "opened", true);
            compare(popup.job, "menu-2");
            const count = findChild(popup.contentItem, "failNextCount");
            count.value = 4;
            mouseClick(findChild(popup.contentItem, "failNextApply"));
            tryVerify(() => findFault(f => f.scopeId === "menu-2" && f.remaining === 4) !== null);
            tryCompare(popup, "visible", false);
            Faults.clear();
        }

        function test_jobMenuShowsDetailsAndEscapeClears() {
            window.setSidePanelOpen(false);
            const menu = child("jobMenu");
            menu.openFor("menu-3");
            tryCompare(menu, "opened", true);
            mouseClick(findChild(menu.contentItem, "jobMenuDetails"));
            compare(Selection.job, "menu-3");
            compare(window.sidePanelOpen, true);
            compare(child("sidePanel").currentTab, 2);
            tryCompare(menu, "visible", false);
            // Esc with no popup open clears the selection.
            keyClick(Qt.Key_Escape);
            compare(Selection.job, "");
        }

        function test_escapeClosesPopups() {
            const popup = child("failNextPopup");
            popup.openFor("menu-4");
            tryCompare(popup, "opened", true);
            Selection.job = "menu-4";
            keyClick(Qt.Key_Escape);
            tryCompare(popup, "visible", false);
            // The first Esc closed the popup, it did not also drop the selection.
            compare(Selection.job, "menu-4");
            Selection.job = "";
        }
    }
}
