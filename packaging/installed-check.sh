#!/usr/bin/env bash
# installed-check.sh DEB: with the package installed (./dev.sh package-test installs it),
# /usr/bin/stickyboard runs headless and under Xvfb, dpkg -L lists every file the package
# promises, the installed unit verifies, and lintian finds no error in DEB.
set -euo pipefail
DEB=$1
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=$(mktemp -d /tmp/stickyboard-installed.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/config" "$WORK/data" "$WORK/run" && chmod 700 "$WORK/run"
export XDG_CONFIG_HOME=$WORK/config XDG_DATA_HOME=$WORK/data XDG_RUNTIME_DIR=$WORK/run
unset QT_QPA_PLATFORM QT_PLUGIN_PATH QML2_IMPORT_PATH
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
fail() { echo "installed-check: $*" >&2; exit 1; }
BIN=/usr/bin/stickyboard
VERSION=$(dpkg-deb -f "$DEB" Version)

say "installed $BIN --version"
"$BIN" --version | tee "$WORK/version"
grep -q "^stickyboard $VERSION" "$WORK/version" || fail "--version does not say $VERSION"

say "headless replay with a report"
"$BIN" --headless --replay "$ROOT/tests/data/replay-basic.jsonl" --speed 0 --report "$WORK/report.json"
python3 - "$WORK/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["mode"] == "replay", r["mode"]
assert r["events"] > 0 and r["persist"]["failed"] >= 1 and r["retriesRecovered"] >= 1, r
assert all(j["current"] == j["db"] for j in r["jobs"]), "current != db"
print(f"report: {r['events']} events, {r['persist']}, {len(r['jobs'])} jobs, current == db")
PY

say "window under Xvfb (xcb): --screenshot"
xvfb-run -a -s "-screen 0 1280x800x24" "$BIN" --replay "$ROOT/tests/data/replay-basic.jsonl" \
    --screenshot "$WORK/shot.png" --quit-after 3
python3 "$ROOT/tests/package/png_check.py" "$WORK/shot.png" 640 200

say "dpkg -L stickyboard lists every promised file"
dpkg -L stickyboard >"$WORK/files"
for f in /usr/bin/stickyboard \
    /usr/share/applications/stickyboard.desktop \
    /usr/share/metainfo/io.github.stickyboard.Stickyboard.metainfo.xml \
    /usr/share/icons/hicolor/scalable/apps/stickyboard.svg \
    /usr/share/icons/hicolor/{16x16,22x22,24x24,32x32,48x48,64x64,128x128,256x256}/apps/stickyboard.png \
    /usr/share/man/man1/stickyboard.1.gz \
    /usr/share/stickyboard/stickyboard.rules.yml /usr/share/stickyboard/stickyboard.json \
    /usr/share/doc/stickyboard/CHANGELOG.md /usr/share/doc/stickyboard/copyright \
    /usr/share/doc/stickyboard/changelog.gz \
    /usr/lib/systemd/system/stickyboard-exporter.service /etc/default/stickyboard; do
    grep -qx "$f" "$WORK/files" || fail "dpkg -L stickyboard lacks $f"
    [ -e "$f" ] || fail "$f is listed but not on disk"
done
grep -qx /etc/default/stickyboard <(dpkg-query -W -f='${Conffiles}\n' stickyboard | awk '{print $1}') ||
    fail "/etc/default/stickyboard is not a conffile"
man -l /usr/share/man/man1/stickyboard.1.gz 2>/dev/null | grep -q -- '--watch' || \
    zcat /usr/share/man/man1/stickyboard.1.gz | grep -q 'watch' || fail "the man page does not read"
echo "all $(wc -l <"$WORK/files") paths listed"

say "validators on the installed files"
desktop-file-validate /usr/share/applications/stickyboard.desktop
appstreamcli validate --no-net /usr/share/metainfo/io.github.stickyboard.Stickyboard.metainfo.xml
"$ROOT/tests/package/systemd_check.sh" /usr/lib/systemd/system/stickyboard-exporter.service "$BIN" 1.5
promtool check rules /usr/share/stickyboard/stickyboard.rules.yml

say "lintian $(basename "$DEB")"
# Errors fail; warnings are listed (README: which remain and why).
lintian --fail-on error --display-info "$DEB" || fail "lintian reports errors"
