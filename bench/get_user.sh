#!/usr/bin/env bash
# wrk against GET /scim/v2/Users/{id} (MODE id, the default) or GET /scim/v2/Users?filter=userName eq "..."
# (MODE filter) on a tenant of N users (default 100000), dirsyncd and wrk pinned to different cores.
# Prints requests/s, p99 latency, and dirsyncd's idle and peak RSS.
#   bench/get_user.sh [BUILD_DIR] [USERS] [SERVER_THREADS] [MODE]
# Needs: wrk, taskset (util-linux). Build first: cmake --build BUILD_DIR --target dirsyncd seed_users
set -euo pipefail
build=${1:-build}
users=${2:-100000}
threads=${3:-1}
mode=${4:-id}
case "$mode" in id|filter) ;; *) echo "MODE must be id or filter" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/dirsyncd-bench-XXXXXX)
trap 'kill "${pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

token=bench-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
digest=$(printf %s "$token" | sha256sum | cut -d' ' -f1)
"$build/bench/seed_users" "$work/d.db" bench "$users" "$work/id" >/dev/null
id=$(cat "$work/id")
cat >"$work/dirsyncd.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  threads: $threads
logging: { level: info, access_log: false }
storage:
  sqlite: $work/d.db
tenants:
  - id: bench
    name: Bench
    scim_tokens: [ { sha256: "$digest" } ]
YAML
taskset -c 0 "$build/daemon/dirsyncd" --config "$work/dirsyncd.yaml" 2>"$work/log" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\) .*/\1/p' "$work/log")
if [ "$mode" = id ]; then
    url="http://127.0.0.1:$port/scim/v2/Users/$id"
else
    url="http://127.0.0.1:$port/scim/v2/Users?filter=userName%20eq%20%22user$((users / 2))@example.com%22"
fi
curl -sf -o /dev/null -H "Authorization: Bearer $token" "$url" || { echo "warm-up GET failed"; cat "$work/log"; exit 1; }
sleep 1
idle_rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
echo "dirsyncd: $users users, $threads server thread(s) on core 0; wrk -t1 -c16 -d10s on core 1"
taskset -c 1 wrk -t1 -c16 -d10s --latency -H "Authorization: Bearer $token" "$url" | tee "$work/wrk"
peak_rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk")
p99=$(awk '$1 == "99%" {print $2}' "$work/wrk")
echo "RESULT get_user mode=$mode users=$users requests_per_s=$rps p99=$p99 idle_rss_kib=$idle_rss peak_rss_kib=$peak_rss"
