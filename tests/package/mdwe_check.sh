#!/usr/bin/env bash
# mdwe_check.sh UNIT BINARY: the exporter service's MemoryDenyWriteExecute=yes holds for what
# it runs. MDWE refuses mmap/mprotect of memory that is (or was) both writable and executable,
# which is what a JIT does: Qt's QML JIT (the window only) and PCRE2's (QRegularExpression).
# This runs the service's command line (headless --watch --listen, with the unit's QT_*
# Environment=) under strace and fails on any such call.
set -euo pipefail
UNIT=$1 BIN=$2
WORK=$(mktemp -d /tmp/stickyboard-mdwe.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
export XDG_CONFIG_HOME=$WORK XDG_DATA_HOME=$WORK
unset QT_QPA_PLATFORM QT_ENABLE_REGEXP_JIT
grep -q '^MemoryDenyWriteExecute=yes' "$UNIT" || { echo "mdwe_check: $UNIT does not set MemoryDenyWriteExecute=yes" >&2; exit 1; }
env_args=()
for assignment in $(sed -n 's/^Environment=//p' "$UNIT"); do
    [[ $assignment == QT_* ]] && env_args+=("$assignment")
done
python3 -c "import sqlite3; c=sqlite3.connect('$WORK/jobs.db'); c.execute('CREATE TABLE jobs(id TEXT PRIMARY KEY, last_backend_id TEXT)'); c.execute(\"INSERT INTO jobs VALUES ('j1','b1')\"); c.commit()"
run() { # TRACE [VAR=VALUE...]: the service's command line under strace
    local trace=$1; shift
    env "$@" strace -f -qq -e trace=mmap,mprotect,pkey_mprotect -e status=successful -o "$trace" \
        "$BIN" --headless --watch "sqlite:$WORK/jobs.db" --listen 127.0.0.1:0 --duration 2 \
        >"$WORK/out" 2>&1 || { cat "$WORK/out" >&2; echo "mdwe_check: the headless watch failed" >&2; exit 1; }
}
# Libraries are mapped PROT_READ|PROT_EXEC straight from their files; a PROT_WRITE|PROT_EXEC
# mapping, or an mprotect that adds PROT_EXEC, is what MDWE refuses.
wx() { grep -E 'PROT_WRITE\|PROT_EXEC|mprotect\(.*PROT_EXEC' "$1" || true; }
run "$WORK/bare"
echo "without the unit's environment: $(wx "$WORK/bare" | wc -l) writable+executable mappings"
run "$WORK/unit" "${env_args[@]}"
bad=$(wx "$WORK/unit")
if [ -n "$bad" ]; then
    echo "mdwe_check: with ${env_args[*]:-no QT_* environment} the service maps writable+executable memory:" >&2
    echo "$bad" | head -20 >&2
    exit 1
fi
echo "ok with ${env_args[*]}: $(wc -l <"$WORK/unit") mmap/mprotect calls, none writable+executable"
