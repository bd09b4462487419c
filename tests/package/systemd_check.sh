#!/usr/bin/env bash
# systemd_check.sh UNIT BINARY MAX_EXPOSURE: `systemd-analyze verify` passes on the exporter
# unit, and `systemd-analyze security --offline` rates it at most MAX_EXPOSURE (0-10, lower is
# safer). Before installation the unit's /usr/bin/stickyboard does not exist, so a copy names
# BINARY instead (verify checks that ExecStart= is executable); with the installed binary the
# unit is checked as shipped.
set -euo pipefail
UNIT=$1 BIN=$2 MAX=$3
WORK=$(mktemp -d /tmp/stickyboard-unit.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
name=$(basename "$UNIT")
if [ "$(readlink -f "$BIN")" = /usr/bin/stickyboard ]; then
    cp "$UNIT" "$WORK/$name"
else
    sed "s|^ExecStart=/usr/bin/stickyboard |ExecStart=$(readlink -f "$BIN") |" "$UNIT" >"$WORK/$name"
fi
grep -q "^ExecStart=$(readlink -f "$BIN") \|^ExecStart=/usr/bin/stickyboard " "$WORK/$name"
# verify prints problems but exits 0 for some of them: any output about our unit fails.
out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$WORK/$name" 2>&1) || {
    echo "$out" >&2; echo "systemd_check: systemd-analyze verify failed" >&2; exit 1; }
if echo "$out" | grep -i "$name"; then
    echo "systemd_check: systemd-analyze verify complains about $name" >&2; exit 1
fi
echo "ok: systemd-analyze verify $name"
systemd-analyze security --offline=yes --no-pager "$WORK/$name" | tail -3
score=$(systemd-analyze security --offline=yes --no-pager "$WORK/$name" | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { echo "systemd_check: no exposure level" >&2; exit 1; }
if ! awk -v s="$score" -v m="$MAX" 'BEGIN { exit !(s <= m) }'; then
    echo "systemd_check: exposure $score is above $MAX" >&2; exit 1
fi
echo "ok: exposure $score <= $MAX"
