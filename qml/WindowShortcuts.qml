import QtQuick
import Stickyboard.Ui

/*
 * The window's keyboard shortcuts. Those that act on the run (pause, clear faults) act here;
 * those that move the window's own parts (panel, view, search, tabs) are signals for Main.
 */
Item {
    id: keys

    /// F: the fault panel shows, or hides when it is already in front.
    signal faultPanelToggled
    /// Ctrl+F: the job table's search field.
    signal searchRequested
    /// G: lanes ⇄ table.
    signal viewToggled
    /// Ctrl+1/2/3: a side panel tab (0 faults, 1 events, 2 detail).
    signal tabRequested(int tab)
    /// Esc: close popups, else clear the selection.
    signal escapePressed

    Shortcut {
        objectName: "pauseShortcut"
        sequence: "Space"
        enabled: Simulation.available
        onActivated: Simulation.paused = !Simulation.paused
    }
    Shortcut {
        objectName: "faultPanelShortcut"
        sequence: "F"
        onActivated: keys.faultPanelToggled()
    }
    Shortcut {
        objectName: "searchShortcut"
        sequence: "Ctrl+F"
        onActivated: keys.searchRequested()
    }
    Shortcut {
        objectName: "clearFaultsShortcut"
        sequence: "Ctrl+Shift+X"
        onActivated: Faults.clear()
    }
    Shortcut {
        objectName: "viewShortcut"
        sequence: "G"
        onActivated: keys.viewToggled()
    }
    Shortcut {
        sequence: "Ctrl+1"
        onActivated: keys.tabRequested(0)
    }
    Shortcut {
        sequence: "Ctrl+2"
        onActivated: keys.tabRequested(1)
    }
    Shortcut {
        sequence: "Ctrl+3"
        onActivated: keys.tabRequested(2)
    }
    Shortcut {
        objectName: "escapeShortcut"
        sequence: "Esc"
        onActivated: keys.escapePressed()
    }
}
