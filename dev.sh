#!/usr/bin/env bash
# Stickyboard's one entry point for people and CI.
#   ./dev.sh run [stickyboard options]   install what is missing, build, start the dashboard
#   ./dev.sh test                        install what is missing, build, run every test
#                                        (Release, then ASan+UBSan) against real SQLite and a
#                                        throwaway PostgreSQL on loopback
#   ./dev.sh build                       install and build only (Release)
#   ./dev.sh bench [bench options]       build and run stickyboard-bench (see README)
#   ./dev.sh package                     build the .deb (CPack) into build/release/packages, lintian it
#   ./dev.sh package-test                package, apt-get install it, check the installed files and
#                                        binary (headless, Xvfb), lintian, then apt-get remove it
#   ./dev.sh tsan                        ThreadSanitizer build (build/tsan) of the tests
#                                        labelled "threads" (store, watch, HTTP); runs them
#   ./dev.sh fuzz [SECONDS]              build the libFuzzer targets with clang (build/fuzz)
#                                        and run each for SECONDS (default 60); fails on
#                                        any crash, leak or timeout
# Idempotent: a second run with nothing changed installs nothing and rebuilds nothing.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"
JOBS=${JOBS:-$(nproc)}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$ROOT} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

PACKAGES=(
    cmake ninja-build g++ git ccache
    qt6-base-dev qt6-declarative-dev qt6-declarative-dev-tools qt6-httpserver-dev
    qt6-websockets-dev qt6-svg-dev qt6-qpa-plugins libqt6svg6
    libqt6sql6-sqlite libqt6sql6-psql
    qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
    qml6-module-qtquick-shapes qml6-module-qtquick-window qml6-module-qtquick-templates
    qml6-module-qtqml qml6-module-qtqml-workerscript qml6-module-qttest
    libgl-dev fonts-dejavu-core
    postgresql xvfb xauth
    prometheus  # ships promtool, which checks GET /metrics in the tests
    # packaging (./dev.sh package, tests/package): CPack's DEB needs dpkg-shlibdeps (dpkg-dev)
    # and file; the validators; help2man writes the man page; strace finds run-time deps
    dpkg-dev file lintian appstream desktop-file-utils systemd help2man strace man-db python3
)

# Only the fuzz targets (./dev.sh fuzz, and so ./dev.sh test) need clang and its libFuzzer.
FUZZ_PACKAGES=(clang libclang-rt-14-dev)

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_deps() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "dev.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    say "installing ${missing[*]}"
    "${sudo[@]}" apt-get update -q
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
}

# build DIR [cmake args...]: configure once, then build incrementally.
build() {
    local dir=$1; shift
    if [ ! -f "$dir/build.ninja" ]; then
        say "configuring $dir"
        local launcher=()
        # ccache keeps rebuilds of other checkouts and build types quick; paths are made
        # relative to the checkout so clones and worktrees share one cache.
        command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
        cmake -S "$ROOT" -B "$dir" -G Ninja "${launcher[@]}" "$@"
    fi
    say "building $dir"
    cmake --build "$dir" -j "$JOBS"
}

pg_start() {
    PG_DIR=$(mktemp -d /tmp/stickyboard-pg.XXXXXX)
    say "starting a throwaway PostgreSQL in $PG_DIR"
    eval "$("$ROOT/tests/support/pg-throwaway.sh" start "$PG_DIR")"
    trap pg_stop EXIT
}

pg_stop() {
    [ -n "${PG_DIR:-}" ] || return 0
    "$ROOT/tests/support/pg-throwaway.sh" stop "$PG_DIR" >/dev/null 2>&1 || true
    PG_DIR=
}

run_ctest() {
    local dir=$1
    say "testing $dir"
    (cd "$dir" && ctest --output-on-failure --timeout 900 -j "$JOBS")
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# package: the Release build with the /usr prefix (no recompilation: only install rules
# depend on it), then CPack's DEB and lintian. Sets DEB to the .deb's path.
package() {
    build build/release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
    if ! grep -qx 'CMAKE_INSTALL_PREFIX:PATH=/usr' build/release/CMakeCache.txt; then
        cmake -DCMAKE_INSTALL_PREFIX=/usr build/release >/dev/null
        cmake --build build/release -j "$JOBS"
    fi
    say "packaging"
    rm -rf build/release/packages
    (cd build/release && cpack -G DEB -B "$ROOT/build/release/packages" >/dev/null)
    DEB=$(ls "$ROOT"/build/release/packages/stickyboard_*_amd64.deb)
    dpkg-deb --field "$DEB" >&2
    say "lintian $(basename "$DEB")"
    lintian --fail-on error "$DEB" >&2
    ls -l "$DEB" >&2
}

package_test() {
    say "installing $(basename "$DEB")"
    local deb_dir
    deb_dir=$(dirname "$DEB")
    (cd "$deb_dir" && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q ./"$(basename "$DEB")")
    local rc=0
    "$ROOT/packaging/installed-check.sh" "$DEB" || rc=$?
    say "removing stickyboard"
    DEBIAN_FRONTEND=noninteractive as_root apt-get remove -y -q stickyboard
    # remove keeps the conffile /etc/default/stickyboard, as it should; leave nothing behind.
    as_root dpkg --purge stickyboard >/dev/null
    [ ! -e /usr/bin/stickyboard ] || { echo "dev.sh: /usr/bin/stickyboard is still there" >&2; rc=1; }
    return $rc
}

# tsan: a ThreadSanitizer build of the tests labelled "threads", run against $PG (pg_start).
tsan() {
    # Only the tests tagged `// ctest-labels: threads` (tests/CMakeLists.txt reads it):
    # the app, QML and benchmarks have no threads of their own worth the TSan build time.
    local targets launcher
    mapfile -t targets < <(grep -l '^// ctest-labels:.*\bthreads\b' tests/core/tst_*.cpp |
        xargs -n1 basename | sed 's/\.cpp$//')
    if [ ! -f build/tsan/build.ninja ]; then
        say "configuring build/tsan"
        launcher=()
        command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
        cmake -S "$ROOT" -B build/tsan -G Ninja "${launcher[@]}" \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTICKYBOARD_SANITIZE=thread
    fi
    say "building build/tsan: ${targets[*]}"
    cmake --build build/tsan -j "$JOBS" --target "${targets[@]}"
    say "testing build/tsan (ctest -L threads)"
    # halt_on_error: a race fails its test. second_deadlock_stack: both stacks of a
    # lock-order report. die_after_fork=0: tests start helper processes (pg-throwaway).
    # Qt is not instrumented: tests/support/TsanQtShim.cpp (linked into these tests)
    # and tests/support/tsan.supp cover its internal hand-offs.
    (cd build/tsan && TSAN_OPTIONS="suppressions=$ROOT/tests/support/tsan.supp:halt_on_error=1:second_deadlock_stack=1:report_signal_unsafe=0:die_after_fork=0:ignore_noninstrumented_modules=1" \
        ctest -L threads --output-on-failure --timeout 900 -j "$JOBS")
}

# fuzz SECONDS: the libFuzzer targets (clang), each run for SECONDS on its seed corpus.
fuzz() {
    local seconds=$1
    if [ ! -f build/fuzz/build.ninja ]; then
        say "configuring build/fuzz"
        local launcher=()
        command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
        cmake -S "$ROOT" -B build/fuzz -G Ninja "${launcher[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_CXX_COMPILER=clang++ -DSTICKYBOARD_FUZZ=ON
    fi
    say "building the fuzz targets in build/fuzz"
    cmake --build build/fuzz -j "$JOBS" --target stickyboard_fuzz
    say "fuzzing each target for $seconds s"
    tests/fuzz/run.sh build/fuzz "$seconds"
}

cmd=${1:-run}
[ $# -gt 0 ] && shift
case "$cmd" in
    run)
        install_deps
        build build/release -DCMAKE_BUILD_TYPE=Release
        exec build/release/app/stickyboard "$@"
        ;;
    build)
        install_deps
        build build/release -DCMAKE_BUILD_TYPE=Release
        ;;
    test)
        PACKAGES+=("${FUZZ_PACKAGES[@]}")
        install_deps
        build build/release -DCMAKE_BUILD_TYPE=Release
        build build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTICKYBOARD_SANITIZE=ON
        pg_start
        export QT_QPA_PLATFORM=offscreen
        run_ctest build/release
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
            LSAN_OPTIONS=suppressions=$ROOT/tests/support/lsan.supp:print_suppressions=0 \
            UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            run_ctest build/asan
        tsan
        fuzz 60
        package
        package_test
        ;;
    tsan)
        install_deps
        pg_start
        export QT_QPA_PLATFORM=offscreen
        tsan
        ;;
    bench)
        install_deps
        build build/release -DCMAKE_BUILD_TYPE=Release
        exec build/release/tests/bench/stickyboard-bench "$@"
        ;;
    fuzz)
        PACKAGES+=("${FUZZ_PACKAGES[@]}")
        install_deps
        fuzz "${1:-60}"
        ;;
    package)
        install_deps
        package
        ;;
    package-test)
        install_deps
        package
        package_test
        ;;
    *)
        sed -n '2,18p' "$0" >&2
        exit 2
        ;;
esac
