#!/usr/bin/env bash
# mdwe_check.sh BINARY: the exporter service's MemoryDenyWriteExecute=yes holds for what it
# runs. MDWE refuses mmap/mprotect of memory that is (or was) both writable and executable,
# which is what a JIT does (Qt's QML JIT in the window). The service runs the headless watch,
# which makes a QCoreApplication and loads no QML; this runs exactly that under strace and
# fails on any such call.
set -euo pipefail
BIN=$1
WORK=$(mktemp -d /tmp/stickyboard-mdwe.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME=$WORK XDG_DATA_HOME=$WORK
unset QT_QPA_PLATFORM
python3 -c "import sqlite3; c=sqlite3.connect('$WORK/jobs.db'); c.execute('CREATE TABLE jobs(id TEXT PRIMARY KEY, last_backend_id TEXT)'); c.execute(\"INSERT INTO jobs VALUES ('j1','b1')\"); c.commit()"
strace -f -qq -e trace=mmap,mprotect,pkey_mprotect -o "$WORK/trace" \
    "$BIN" --headless --watch "sqlite:$WORK/jobs.db" --listen 127.0.0.1:0 --duration 2 \
    >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; echo "mdwe_check: the headless watch failed" >&2; exit 1; }
# Text-relocation-free libraries are mapped PROT_READ|PROT_EXEC straight from their file; any
# PROT_WRITE|PROT_EXEC mapping, or mprotect adding PROT_EXEC, is what MDWE kills.
bad=$(grep -E 'PROT_WRITE\|PROT_EXEC|PROT_EXEC\|PROT_WRITE|mprotect\([^,]*, [^,]*, [^)]*PROT_EXEC' "$WORK/trace" || true)
calls=$(wc -l <"$WORK/trace")
if [ -n "$bad" ]; then
    echo "mdwe_check: the headless watch maps writable+executable memory; MemoryDenyWriteExecute=yes would kill it:" >&2
    echo "$bad" | head -20 >&2
    exit 1
fi
echo "ok: $calls mmap/mprotect calls, none writable+executable"
