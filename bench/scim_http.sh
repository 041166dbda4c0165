#!/usr/bin/env bash
# wrk against dirsyncd's SCIM HTTP API on a tenant of USERS users (default 100000), dirsyncd pinned to core 0
# and wrk (-t1 -c16) to core 1. Prints requests/s, p99 latency, non-2xx responses, and dirsyncd's idle and
# peak RSS (VmRSS before the run, VmHWM after it) on RESULT lines.
#   bench/scim_http.sh [BUILD_DIR] [USERS] [SERVER_THREADS] [MODE]
# MODE:
#   id            GET /scim/v2/Users/{id}
#   filter        GET /scim/v2/Users?filter=userName eq "..." (answered from the index)
#   post          POST /scim/v2/Users, a new userName on every request (bench/wrk/post_user.lua); the tenant
#                 grows by the number of requests
#   patch-member  PATCH /scim/v2/Groups/{id} on a group of USERS members (every seeded user): first each
#                 request adds one user who is not a member (EXTRA more users are seeded for that, default
#                 USERS/2), then each request removes one member (bench/wrk/patch_member.lua); two RESULT lines
# Environment: DURATION (wrk -d, default 10s), CONNECTIONS (wrk -c, default 16), EXTRA (see patch-member).
# Needs: wrk, taskset (util-linux), curl. Build first: cmake --build BUILD_DIR --target dirsyncd seed_users
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
users=${2:-100000}
threads=${3:-1}
mode=${4:-id}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
case "$mode" in id|filter|post|patch-member) ;; *) echo "MODE must be id, filter, post or patch-member" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dirsyncd-bench-XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

token=bench-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
token_digest=$(digest "$token")
if [ "$mode" = patch-member ]; then
    extra=${EXTRA:-$((users / 2))}
    "$build/bench/seed_users" "$work/d.db" bench "$((users + extra))" "$work/id" \
        --ids "$work/ids" --group "$users" "$work/group" >/dev/null
    head -n "$users" "$work/ids" >"$work/members"
    tail -n "+$((users + 1))" "$work/ids" >"$work/non_members"
    group=$(cat "$work/group")
else
    "$build/bench/seed_users" "$work/d.db" bench "$users" "$work/id" >/dev/null
fi
id=$(cat "$work/id")
bench_config "$work/dirsyncd.yaml" "$work/d.db" "$threads" "$token_digest"
taskset -c 0 "$build/daemon/dirsyncd" --config "$work/dirsyncd.yaml" 2>"$work/log" &
pid=$!
port=$(dirsyncd_port "$work/log")
base="http://127.0.0.1:$port/scim/v2"
case "$mode" in
    id) url="$base/Users/$id"; warm="$url" ;;
    filter) url="$base/Users?filter=userName%20eq%20%22user$((users / 2))@example.com%22"; warm="$url" ;;
    post) url="$base/Users"; warm="$base/Users?count=1" ;;
    # The members are not read: a warm-up must not load 100,000 of them into memory.
    patch-member) url="$base/Groups/$group"; warm="$url?excludedAttributes=members" ;;
esac
curl -sf -o /dev/null -H "Authorization: Bearer $token" "$warm" || { echo "warm-up GET failed"; cat "$work/log"; exit 1; }
sleep 1
idle_rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
scale="$users users"
[ "$mode" = patch-member ] && scale="$((users + extra)) users, a group of $users members"
echo "dirsyncd: $scale, $threads server thread(s) on core 0; wrk -t1 -c$connections -d$duration on core 1"

# Runs wrk once (extra arguments: a script and its environment) and prints the RESULT line for `label`.
run() {
    local label=$1
    shift
    env "$@" taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --latency \
        -H "Authorization: Bearer $token" ${script:+-s "$script"} "$url" | tee "$work/wrk"
    local peak_rss rps p99 non2xx
    peak_rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
    non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$work/wrk")
    echo "RESULT scim_http mode=$label users=$users requests_per_s=$rps p99=$p99 non2xx=${non2xx:-0}" \
         "idle_rss_kib=$idle_rss peak_rss_kib=$peak_rss"
}

# After a write run, prints what a filter finds (`filter` is URL-encoded), so a run whose requests changed
# nothing shows up. `count=0` answers totalResults without reading a page.
check() {
    local what=$1 collection=$2 filter=$3
    local total
    total=$(curl -sf -H "Authorization: Bearer $token" "$base/$collection?count=0&filter=$filter" |
            sed -n 's/.*"totalResults":\([0-9]*\).*/\1/p')
    echo "check: $what: ${total:-request failed}"
}

script=
case "$mode" in
    id|filter) run "$mode" ;;
    post)
        script="$root/bench/wrk/post_user.lua"
        run post
        check "users created by wrk (userName sw \"wrk-\")" Users "userName%20sw%20%22wrk-%22"
        ;;
    patch-member)
        script="$root/bench/wrk/patch_member.lua"
        run patch-member-add BENCH_OP=add BENCH_IDS="$work/non_members" BENCH_GROUP="$group" BENCH_WRK_THREADS=1
        run patch-member-remove BENCH_OP=remove BENCH_IDS="$work/members" BENCH_GROUP="$group" BENCH_WRK_THREADS=1
        # Checked after both runs: a filter on members.value may read the member list, which would raise the
        # peak RSS reported for the second run.
        check "groups holding the first added user (expect 1)" Groups \
            "id%20eq%20%22$group%22%20and%20members.value%20eq%20%22$(head -n1 "$work/non_members")%22"
        check "groups holding the first removed member (expect 0)" Groups \
            "id%20eq%20%22$group%22%20and%20members.value%20eq%20%22$(head -n1 "$work/members")%22"
        ;;
esac
