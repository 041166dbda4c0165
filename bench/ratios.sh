#!/usr/bin/env bash
# The performance issue's figures in one run, each as a ratio to a baseline measured in the same run (this
# machine is shared and noisy: absolute figures move, ratios much less):
#   - GET /Users/{id} and GET /Users?filter=userName eq "…" against bench/ceiling_server (a minimal Beast server
#     returning a 660-byte JSON body), both pinned to core 0 with wrk -t1 -c16 on core 1;
#   - POST /Users (durable) against bench/sqlite_commits (raw single-row commits, WAL, synchronous=FULL) on the
#     same file system;
#   - with RECONCILE=1, bench/sync_ldap.sh (full reconcile against ldapsearch; minutes).
#
#   bench/ratios.sh [BUILD] [USERS] [THREADS]      (defaults: build 100000 1; DURATION=10s CONNECTIONS=16)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
users=${2:-100000}
threads=${3:-1}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-16}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dirsyncd-bench-ratios-XXXXXX)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# wrk against URL on core 1: prints "requests_per_s p99_ms" (p99 in milliseconds).
load() {
    local url=$1
    shift
    taskset -c 1 wrk -t1 -c"$connections" -d"$duration" --latency "$@" "$url" >"$work/wrk"
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
    p99=$(awk '$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)}
                             else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; print v}' "$work/wrk")
    non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$work/wrk")
    [ -z "$non2xx" ] || echo "warning: $non2xx non-2xx answers from $url" >&2
    echo "$rps $p99"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# The ceiling.
taskset -c 0 "$build/bench/ceiling_server" >"$work/ceiling.out" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/ceiling.out" && break; sleep 0.1; done
ceiling_port=$(awk '/listening on/ {print $3}' "$work/ceiling.out")
read -r ceiling_rps ceiling_p99 < <(load "http://127.0.0.1:$ceiling_port/scim/v2/Users/x")
kill "${pids[-1]}"

# dirsyncd on a seeded tenant.
token=bench-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
"$build/bench/seed_users" "$work/d.db" bench "$users" "$work/id" >/dev/null
bench_config "$work/dirsyncd.yaml" "$work/d.db" "$threads" "$(digest "$token")"
taskset -c 0 "$build/daemon/dirsyncd" --config "$work/dirsyncd.yaml" 2>"$work/log" &
pid=$!
pids+=("$pid")
port=$(dirsyncd_port "$work/log")
base="http://127.0.0.1:$port/scim/v2"
auth=(-H "Authorization: Bearer $token")
curl -sf -o /dev/null "${auth[@]}" "$base/Users/$(cat "$work/id")" || { echo "warm-up failed" >&2; exit 1; }
idle_rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
read -r id_rps id_p99 < <(load "$base/Users/$(cat "$work/id")" "${auth[@]}")
read -r filter_rps filter_p99 < <(load "$base/Users?filter=userName%20eq%20%22user$((users / 2))@example.com%22" "${auth[@]}")
read -r post_rps post_p99 < <(load "$base/Users" "${auth[@]}" -s "$root/bench/wrk/post_user.lua")
peak_rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
kill "$pid"

# Raw SQLite commits on the same file system, for as long as wrk ran.
secs=${duration%s}
"$build/bench/sqlite_commits" "$work/raw.db" "$secs" >"$work/raw"
read -r raw_rps raw_p99 < <(sed -n 's/.*commits_per_s=\([0-9.]*\) p99=\([0-9.]*\)ms.*/\1 \2/p' "$work/raw")

echo "dirsyncd: $users users, $threads I/O thread(s) on core 0; wrk -t1 -c$connections -d$duration on core 1"
printf '%-28s %12s %10s %18s %8s\n' figure requests/s p99_ms baseline ratio
printf '%-28s %12s %10s %18s %8s\n' "ceiling (minimal Beast)" "$ceiling_rps" "$ceiling_p99" - -
printf '%-28s %12s %10s %18s %8s\n' "GET /Users/{id}" "$id_rps" "$id_p99" ceiling "$(ratio "$id_rps" "$ceiling_rps")"
printf '%-28s %12s %10s %18s %8s\n' "GET /Users?filter=userName" "$filter_rps" "$filter_p99" ceiling "$(ratio "$filter_rps" "$ceiling_rps")"
printf '%-28s %12s %10s %18s %8s\n' "raw SQLite commits" "$raw_rps" "$raw_p99" - -
printf '%-28s %12s %10s %18s %8s\n' "POST /Users (durable)" "$post_rps" "$post_p99" "raw commits" "$(ratio "$post_rps" "$raw_rps")"
echo "RESULT ratios get_id=$(ratio "$id_rps" "$ceiling_rps") get_filter=$(ratio "$filter_rps" "$ceiling_rps")" \
     "post=$(ratio "$post_rps" "$raw_rps") get_id_p99_ms=$id_p99 post_p99_ms=$post_p99" \
     "idle_rss_kib=$idle_rss peak_rss_kib=$peak_rss"
if [ "${RECONCILE:-0}" = 1 ]; then "$root/bench/sync_ldap.sh" "$build" "$users"; fi
