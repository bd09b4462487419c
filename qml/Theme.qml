pragma Singleton
import QtQuick
import Stickyboard.Ui

/*
 * Colours, sizes and fonts for the whole UI. Light or dark follows the system (Qt 6.4 has
 * no colour-scheme API, so the system palette's window lightness decides) unless the
 * "theme" setting says "light" or "dark". State colours are the same everywhere: a backend
 * that is offline is the same red in its lane, its chip, the event log and the timeline.
 */
QtObject {
    id: theme

    /// "system" | "light" | "dark"
    property string mode: String(Settings.value("theme", "system"))
    readonly property SystemPalette system: SystemPalette {
        colorGroup: SystemPalette.Active
    }
    readonly property bool dark: mode === "dark" || (mode === "system" && system.window.hslLightness < 0.5)

    function setMode(newMode: string) {
        theme.mode = newMode;
        Settings.setValue("theme", newMode);
    }

    // --- surfaces ---------------------------------------------------------------------
    readonly property color background: dark ? "#13161c" : "#f3f4f7"
    readonly property color surface: dark ? "#1b1f27" : "#ffffff"
    readonly property color surfaceAlt: dark ? "#222733" : "#f7f8fa"
    readonly property color surfaceSunken: dark ? "#171a21" : "#eceef3"
    readonly property color hover: dark ? "#2a3040" : "#eef1fb"
    readonly property color selection: dark ? "#2d3557" : "#e3e8ff"
    readonly property color border: dark ? "#2c3240" : "#e2e5ec"
    readonly property color borderStrong: dark ? "#3a4153" : "#cfd4de"

    // --- text -------------------------------------------------------------------------
    readonly property color text: dark ? "#e7eaf0" : "#1c2230"
    readonly property color textMuted: dark ? "#9aa3b5" : "#687186"
    readonly property color textFaint: dark ? "#6c7487" : "#9aa1b1"
    readonly property color textOnAccent: "#ffffff"

    // --- accent and states ----------------------------------------------------------------
    readonly property color accent: dark ? "#8c9dff" : "#4c63e6"
    readonly property color accentSoft: withAlpha(accent, dark ? 0.20 : 0.12)
    readonly property color online: dark ? "#4cc38a" : "#1f9d66"
    readonly property color saturated: dark ? "#f0b43c" : "#c98a0b"
    readonly property color offline: dark ? "#f06a6a" : "#d64141"
    readonly property color saving: dark ? "#62b6e8" : "#2b88c4"
    readonly property color stale: dark ? "#f39457" : "#dd6b20"
    readonly property color fault: dark ? "#b794f6" : "#8a55d8"
    readonly property color neutral: dark ? "#8a93a6" : "#7b8396"

    function backendStateColor(state: string): color {
        switch (state) {
        case "online":
            return online;
        case "saturated":
            return saturated;
        case "offline":
            return offline;
        }
        return neutral;
    }

    function backendStateText(state: string): string {
        switch (state) {
        case "online":
            return qsTr("online");
        case "saturated":
            return qsTr("saturated");
        case "offline":
            return qsTr("offline");
        }
        return state.length ? state : qsTr("unknown");
    }

    function persistColor(state: string): color {
        switch (state) {
        case "saved":
            return online;
        case "saving":
        case "pending":
            return saving;
        case "retry pending":
        case "failing":
            return offline;
        case "stale":
            return stale;
        case "recovered":
            return online;
        case "observed":
            return saving;
        }
        return neutral;
    }

    /// Event log and timeline kinds: resolved, switch, failure, recovery, fault, backend.
    function kindColor(kind: string): color {
        switch (kind) {
        case "switch":
            return accent;
        case "failure":
            return offline;
        case "recovery":
            return online;
        case "fault":
            return fault;
        case "backend":
            return saturated;
        case "stale":
            return stale;
        }
        return neutral;
    }

    function kindGlyph(kind: string): string {
        switch (kind) {
        case "switch":
            return "⇄";
        case "failure":
            return "✕";
        case "recovery":
            return "✓";
        case "fault":
            return "ϟ";
        case "backend":
            return "◆";
        case "stale":
            return "◷";
        }
        return "•";
    }

    /// A soft tint of a state colour for backgrounds (chips, lane bodies).
    function tint(c: color, strength: real): color {
        return withAlpha(c, (dark ? 1.6 : 1.0) * strength);
    }

    function withAlpha(c: color, a: real): color {
        return Qt.rgba(c.r, c.g, c.b, Math.min(1, a));
    }

    // --- metrics ----------------------------------------------------------------------
    readonly property int radius: 10
    readonly property int radiusSmall: 6
    readonly property int spacing: 12
    readonly property int fontSmall: 11
    readonly property int fontNormal: 13
    readonly property int fontLarge: 17
    readonly property int fontTitle: 20
    readonly property string monoFamily: "monospace"
    readonly property int animationMs: 180

    function formatTime(ms: real): string {
        return ms > 0 ? Qt.formatTime(new Date(ms), "hh:mm:ss") : "—";
    }
    function formatTimeMs(ms: real): string {
        return ms > 0 ? Qt.formatTime(new Date(ms), "hh:mm:ss.zzz") : "—";
    }
}
