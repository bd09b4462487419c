#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the store tests.
#
#   eval "$(tests/support/pg-throwaway.sh start DIR)"   # create + start, print exports
#   tests/support/pg-throwaway.sh pause DIR             # stop the server, keep the data
#   tests/support/pg-throwaway.sh resume DIR            # start it again on the same port
#   tests/support/pg-throwaway.sh stop DIR              # stop and delete DIR
#
# The server listens only on 127.0.0.1 (and a unix socket inside DIR). As root, the
# server runs as the `postgres` user, because PostgreSQL refuses to run as root.
# Set PG_BINDIR to use a particular PostgreSQL installation.
set -euo pipefail

die() { echo "pg-throwaway: $*" >&2; exit 1; }

[[ $# -eq 2 ]] || die "usage: $0 start|pause|resume|stop DIR"
verb=$1
dir=$2
if [[ $verb == start ]]; then mkdir -p "$dir" 2>/dev/null || die "cannot create $dir"; fi
if [[ ! -d $dir ]]; then
    [[ $verb == stop ]] && exit 0
    die "$dir does not exist"
fi
dir=$(cd "$dir" && pwd)
data=$dir/data
log=$dir/server.log
marker=$dir/.pg-throwaway
script=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")

find_bindir() {
    if [[ -n ${PG_BINDIR:-} ]]; then echo "$PG_BINDIR"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $newest && -x $newest/initdb ]]; then echo "$newest"; return; fi
    if command -v pg_config >/dev/null && [[ -x $(pg_config --bindir)/initdb ]]; then
        pg_config --bindir; return
    fi
    if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
    die "PostgreSQL server binaries not found (Debian: apt install postgresql; or set PG_BINDIR)"
}
bindir=$(find_bindir)

# Runs a server program as the user that owns the cluster.
as_owner() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

is_running() { [[ -d $data ]] && as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start_server() {
    local port
    port=$(cat "$dir/port")
    if port_in_use "$port"; then die "port $port on 127.0.0.1 is taken by another program"; fi
    as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 30 start >/dev/null ||
        die "server did not start; see $log: $(tail -n 5 "$log" 2>/dev/null)"
    # pg_ctl -w waits for the socket; also wait until it accepts logins.
    for _ in $(seq 1 50); do
        if as_owner "$bindir/pg_isready" -q -h "$dir" -p "$port"; then return; fi
        sleep 0.2
    done
    die "server did not become ready; see $log"
}

print_exports() {
    local port password
    port=$(cat "$dir/port")
    password=$(cat "$dir/password")
    echo "export STICKYBOARD_TEST_PG_URL=postgresql://stickyboard:$password@127.0.0.1:$port/stickyboard_test"
    echo "export STICKYBOARD_TEST_PG_DATA=$dir"
    echo "export STICKYBOARD_TEST_PG_CTL=$script"
}

psql_admin() {
    as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$(cat "$dir/port")" \
        -U postgres -d postgres "$@"
}

create_cluster() {
    [[ -z $(ls -A "$dir") ]] || die "$dir is not empty and not a pg-throwaway cluster"
    if [[ $(id -u) -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user"
        chown postgres "$dir"
        runuser -u postgres -- test -w "$dir" ||
            die "user postgres cannot write $dir (a parent folder is not accessible?)"
    fi
    touch "$marker"
    head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/password"
    local port=55432
    while port_in_use "$port"; do
        port=$((port + 1))
        [[ $port -lt 55632 ]] || die "no free port in 55432-55631"
    done
    echo "$port" >"$dir/port"
    chmod 644 "$dir/port" "$dir/password"
    as_owner "$bindir/initdb" -D "$data" -U postgres --auth-local=trust \
        --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        die "initdb failed; see $dir/initdb.log"
    cat >>"$data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
EOF
    start_server
    psql_admin -c "CREATE ROLE stickyboard LOGIN PASSWORD '$(cat "$dir/password")'" \
        -c "CREATE DATABASE stickyboard_test OWNER stickyboard" >/dev/null
}

case $verb in
start)
    if [[ -f $marker && -d $data ]]; then
        is_running || start_server
    else
        create_cluster
    fi
    print_exports
    ;;
pause)
    [[ -f $marker ]] || die "$dir is not a pg-throwaway cluster"
    if is_running; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    ;;
resume)
    [[ -f $marker ]] || die "$dir is not a pg-throwaway cluster"
    is_running || start_server
    ;;
stop)
    [[ -f $marker ]] || die "$dir is not a pg-throwaway cluster; not deleting it"
    if is_running; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
    rm -rf "$dir"
    ;;
*)
    die "unknown verb '$verb' (use start, pause, resume or stop)"
    ;;
esac
