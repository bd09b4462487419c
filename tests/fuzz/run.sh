#!/usr/bin/env bash
# Runs every libFuzzer target in BUILD_DIR for SECONDS each, two at a time, each on a
# scratch copy of its seed corpus (tests/fuzz/corpus/<target>/), so runs never write into
# the repository. Fails when any target finds a crash, a leak or a timeout.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS] [TARGET...]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$1
SECONDS_EACH=${2:-60}
shift $(($# >= 2 ? 2 : 1))
PARALLEL=${FUZZ_PARALLEL:-2}
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/stickyboard-fuzz.XXXXXX")

targets=("$@")
if ((${#targets[@]} == 0)); then
    for src in "$ROOT"/tests/fuzz/fuzz_*.cpp; do
        targets+=("$(basename "$src" .cpp)")
    done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/support/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
    local name=$1 bin="$BUILD/tests/fuzz/$1" dir="$SCRATCH/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    [ -d "$ROOT/tests/fuzz/corpus/$name" ] && cp -r "$ROOT/tests/fuzz/corpus/$name/." "$dir/corpus/"
    local rc=0
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" "$dir/corpus" >"$dir/log" 2>&1 || rc=$?
    local execs cov ft
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1 || true)
    cov=$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2 || true)
    ft=$(grep -o 'ft: [0-9]*' "$dir/log" | tail -1 | cut -d' ' -f2 || true)
    if ((rc != 0)); then
        echo "FAIL $name (exit $rc): log $dir/log, inputs in $dir/artifacts/"
        tail -40 "$dir/log" | sed "s/^/    $name: /"
        return 1
    fi
    printf 'ok   %-16s %6ss  execs %-12s cov %-6s ft %s\n' "$name" "$SECONDS_EACH" "${execs:-?}" \
        "${cov:-?}" "${ft:-?}"
}

failed=0
running=0
for name in "${targets[@]}"; do
    [ -x "$BUILD/tests/fuzz/$name" ] || { echo "FAIL $name: not built in $BUILD"; failed=1; continue; }
    run_one "$name" &
    running=$((running + 1))
    if ((running >= PARALLEL)); then
        wait -n || failed=1
        running=$((running - 1))
    fi
done
while ((running > 0)); do
    wait -n || failed=1
    running=$((running - 1))
done
((failed == 0)) && rm -rf "$SCRATCH"
exit "$failed"
