#!/usr/bin/env bash
# The PostgreSQL store next to SQLite in one run, each figure as a ratio to SQLite's (this machine is shared and
# noisy: absolute figures move, ratios much less). One seeded tenant (USERS users, a group holding half of them)
# is copied from SQLite into a private PostgreSQL 15 cluster with durable commits (fsync on,
# synchronous_commit on) by `dirsyncd copy-store`; then the same requests run against
#   - dirsyncd on the SQLite file,
#   - one dirsyncd on PostgreSQL,
#   - two dirsyncd on PostgreSQL at once, behind a round-robin of wrk's connections (half on each),
# with wrk -t1 -cCONNECTIONS (split in two for the pair): GET /Users/{id}, GET /Users?filter=userName eq "…",
# POST /Users (durable) and PATCH adding one member to the big group.
#
#   bench/postgresql.sh [BUILD] [USERS]      (defaults: build 100000; DURATION=10s CONNECTIONS=16)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
users=${2:-100000}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dirsyncd-bench-pg-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    "$root/tests/support/postgres_cluster.sh" stop "$work/pg" || true
    rm -rf "$work"
}
trap cleanup EXIT

# wrk against URL: prints "requests_per_s p99_ms".
load() {
    local out=$1 url=$2
    shift 2
    wrk -t1 -c"$CONN" -d"$duration" --latency "$@" "$url" >"$out"
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$out")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)}
                             else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' "$out")
    non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$out")
    [ -z "$non2xx" ] || echo "warning: $non2xx non-2xx answers from $url" >&2
    echo "$rps $p99"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
sum() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }

# The data: SQLite first, then its copy in PostgreSQL.
"$build/bench/seed_users" "$work/d.db" bench "$users" "$work/id" --ids "$work/ids" \
    --group "$((users / 2))" "$work/group_id" >/dev/null
tail -n +"$((users / 2 + 1))" "$work/ids" >"$work/add_ids"          # not yet members
for k in 0 1 2; do awk -v k=$k 'NR % 3 == k' "$work/add_ids" >"$work/add_ids.$k"; done  # one instance; the pair
DIRSYNC_PG_DURABLE=1 "$root/tests/support/postgres_cluster.sh" start "$work/pg"
pg_port=$(cat "$work/pg/port")
psql -q -h 127.0.0.1 -p "$pg_port" -U dirsync -d postgres -c "CREATE DATABASE bench"

token=bench-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
bench_config "$work/sqlite.yaml" "$work/d.db" 2 "$(digest "$token")"
sed "s|^  sqlite: .*|  postgresql: { host: 127.0.0.1, port: $pg_port, database: bench, user: dirsync, sslmode: disable }|" \
    "$work/sqlite.yaml" >"$work/pg.yaml"
"$build/daemon/dirsyncd" copy-store --from "$work/d.db" --config "$work/pg.yaml" >"$work/copy.out" 2>&1 ||
    { cat "$work/copy.out" >&2; exit 1; }

auth=(-H "Authorization: Bearer $token")
id=$(cat "$work/id")
group=$(cat "$work/group_id")
filter="Users?filter=userName%20eq%20%22user$((users / 2))@example.com%22"

# Runs the four requests against the dirsyncd instances on PORTS (one or two); sets get_rps get_p99 filter_rps
# filter_p99 post_rps post_p99 patch_rps patch_p99 (summed requests/s, worst p99).
measure() {
    local ports=("$@") n=$#
    CONN=$((connections / n))
    local kind
    for kind in get filter post patch; do
        local i loads=()
        for i in $(seq 0 $((n - 1))); do
            local base="http://127.0.0.1:${ports[$i]}/scim/v2"
            case $kind in
            get) load "$work/wrk.$i" "$base/Users/$id" "${auth[@]}" >"$work/r.$i" & ;;
            filter) load "$work/wrk.$i" "$base/$filter" "${auth[@]}" >"$work/r.$i" & ;;
            post) BENCH_PREFIX="i$i-$RANDOM-" load "$work/wrk.$i" "$base/Users" "${auth[@]}" \
                      -s "$root/bench/wrk/post_user.lua" >"$work/r.$i" & ;;
            patch) BENCH_GROUP=$group BENCH_IDS=$work/add_ids.$((n == 1 ? 0 : i + 1)) BENCH_OP=add load "$work/wrk.$i" \
                       "$base/Groups/$group" "${auth[@]}" -s "$root/bench/wrk/patch_member.lua" >"$work/r.$i" & ;;
            esac
            loads+=($!)
        done
        wait "${loads[@]}"
        sleep 0.2
        local rps=0 p99=0
        for i in $(seq 0 $((n - 1))); do
            read -r r p <"$work/r.$i"
            rps=$(sum "$rps" "$r")
            p99=$(max "$p99" "$p")
        done
        printf -v "${kind}_rps" %s "$rps"
        printf -v "${kind}_p99" %s "$p99"
    done
}

# Starts a dirsyncd on CONFIG logging to LOG; sets `port`.
start() {
    local config=$1 log=$2
    "$build/daemon/dirsyncd" --config "$config" 2>"$log" &
    pids+=($!)
    port=$(dirsyncd_port "$log")
}

# Measures one dirsyncd on CONFIG (logging to LOG) and stops it; its figures go to PREFIX_get, PREFIX_get99,
# PREFIX_filter, ... .
single() {
    local config=$1 log=$2 prefix=$3 kind
    start "$config" "$log"
    curl -sf -o /dev/null "${auth[@]}" "http://127.0.0.1:$port/scim/v2/Users/$id" ||
        { echo "warm-up failed" >&2; exit 1; }
    measure "$port"
    for kind in get filter post patch; do
        local rps=${kind}_rps p99=${kind}_p99
        printf -v "${prefix}_$kind" %s "${!rps}"
        printf -v "${prefix}_${kind}99" %s "${!p99}"
    done
    kill "${pids[-1]}"
    wait "${pids[-1]}" 2>/dev/null || true
}

single "$work/sqlite.yaml" "$work/sqlite.log" s
# PostgreSQL got its copy before the SQLite run added members: the same ids are new to it; the pair adds others.
single "$work/pg.yaml" "$work/pg1.log" o

# Two instances on PostgreSQL.
start "$work/pg.yaml" "$work/pg2a.log"
p1=$port
start "$work/pg.yaml" "$work/pg2b.log"
p2=$port
measure "$p1" "$p2"

echo "dirsyncd: $users users, 2 I/O threads per instance; wrk -t1 -c$connections -d$duration (split over instances);"
echo "PostgreSQL 15 on the same machine with fsync and synchronous_commit on"
printf '%-30s %22s %22s %22s\n' figure "SQLite req/s (p99 ms)" "PG x1 req/s (ratio)" "PG x2 req/s (ratio)"
row() {
    printf '%-30s %22s %22s %22s\n' "$1" "$2 ($3)" "$4 ($(ratio "$4" "$2"))" "$5 ($(ratio "$5" "$2"))"
}
row "GET /Users/{id}" "$s_get" "$s_get99" "$o_get" "$get_rps"
row "GET /Users?filter=userName" "$s_filter" "$s_filter99" "$o_filter" "$filter_rps"
row "POST /Users (durable)" "$s_post" "$s_post99" "$o_post" "$post_rps"
row "PATCH add member (big group)" "$s_patch" "$s_patch99" "$o_patch" "$patch_rps"
echo "p99 ms, PostgreSQL x1: get=$o_get99 filter=$o_filter99 post=$o_post99 patch=$o_patch99;" \
     "x2: get=$get_p99 filter=$filter_p99 post=$post_p99 patch=$patch_p99"
echo "RESULT postgresql x1/sqlite get=$(ratio "$o_get" "$s_get") filter=$(ratio "$o_filter" "$s_filter")" \
     "post=$(ratio "$o_post" "$s_post") patch=$(ratio "$o_patch" "$s_patch");" \
     "x2/sqlite get=$(ratio "$get_rps" "$s_get") filter=$(ratio "$filter_rps" "$s_filter")" \
     "post=$(ratio "$post_rps" "$s_post") patch=$(ratio "$patch_rps" "$s_patch")"
