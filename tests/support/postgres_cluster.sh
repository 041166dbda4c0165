#!/bin/sh
# A private PostgreSQL 15 cluster for the tests (Debian's postgresql-15): `start DIR` initialises one in
# DIR/data, starts it on 127.0.0.1 at a free ephemeral port (and a Unix socket in DIR), with the role
# `dirsync` (superuser, trust authentication) and writes the port to DIR/port once it accepts connections;
# `stop DIR` stops it and removes DIR. initdb and postgres refuse to run as root: as root, they run as the
# `postgres` system user the package creates (DIR's parent must let it through, as /tmp does). fsync is off
# (the tests check dirsyncd, not the disk) unless DIRSYNC_PG_DURABLE=1 (benchmarks: durable commits).
set -eu
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres_cluster: no PostgreSQL server (apt-get install postgresql-15)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
    else
        "$@"
    fi
}

case "$action" in
start)
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chmod 755 "$dir"
        chown postgres:postgres "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U dirsync --auth=trust --no-locale -E UTF8 >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    durability="-c fsync=off -c full_page_writes=off"
    [ "${DIRSYNC_PG_DURABLE:-0}" = 1 ] && durability="-c fsync=on -c synchronous_commit=on"
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000 ))
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $durability -c max_connections=400 -c shared_buffers=32MB" \
            start >/dev/null 2>&1; then
            echo "$port" >"$dir/port"
            exit 0
        fi
    done
    cat "$dir/server.log" >&2
    exit 1
    ;;
stop)
    if [ -d "$dir/data" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
