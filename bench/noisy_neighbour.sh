#!/usr/bin/env bash
# One tenant's heavy requests against another tenant's latency (the hardening issue's noisy neighbour).
# Tenant "noisy" holds USERS users (default 100000), tenant "quiet" 1000. wrk (-t1 -c4) reads one quiet user by
# id, first alone, then while the noisy tenant runs, each in a loop: HEAVY (default 4) unindexed filters over
# all its users (`displayName co "…"`), HEAVY sorted lists (`sortBy=displayName`), and /Bulk requests of
# BULK_OPS (default 1000) POSTs with passwords (scrypt each). /healthz and the admin API (GET
# /admin/v1/sync/runs) are timed during both phases.
# Prints RESULT lines: the quiet tenant's requests/s and p99 alone and under the noise, their ratios, and
# the slowest /healthz answer; and what the noisy requests got (counts of answers by status).
#   bench/noisy_neighbour.sh [BUILD_DIR] [USERS] [SERVER_THREADS]
# Environment: DURATION (wrk -d, default 10s), HEAVY, BULK_OPS.
# Needs: wrk, curl, python3. Build first: cmake --build BUILD_DIR --target dirsyncd seed_users
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
users=${2:-100000}
threads=${3:-2}
duration=${DURATION:-10s}
heavy=${HEAVY:-4}
bulk_ops=${BULK_OPS:-1000}
work=$(mktemp -d /tmp/dirsyncd-bench-noisy-XXXXXX)
loops=()
# Stops the loops and the requests they have in flight.
stop_loops() {
    for p in "${loops[@]}"; do
        pkill -P "$p" 2>/dev/null || true
        kill "$p" 2>/dev/null || true
    done
    loops=()
}
cleanup() {
    stop_loops
    kill "${pid:-0}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

noisy_token=noisy-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
quiet_token=quiet-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
admin_token=admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
"$build/bench/seed_users" "$work/d.db" noisy "$users" "$work/noisy_id" >/dev/null
"$build/bench/seed_users" "$work/d.db" quiet 1000 "$work/quiet_id" >/dev/null
cat >"$work/dirsyncd.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  threads: $threads
  limits: { max_body_bytes: 4MiB }
logging: { level: info, access_log: false }
storage:
  sqlite: $work/d.db
scim:
  bulk: { max_operations: $bulk_ops, max_payload_size: 4MiB }
admin_tokens: [ { sha256: "$(digest "$admin_token")" } ]
tenants:
  - id: noisy
    name: Noisy
    scim_tokens: [ { sha256: "$(digest "$noisy_token")" } ]
  - id: quiet
    name: Quiet
    scim_tokens: [ { sha256: "$(digest "$quiet_token")" } ]
YAML
"$build/daemon/dirsyncd" --config "$work/dirsyncd.yaml" 2>"$work/log" &
pid=$!
port=$(dirsyncd_port "$work/log")
base="http://127.0.0.1:$port/scim/v2"
quiet_url="$base/Users/$(cat "$work/quiet_id")"
curl -sf -o /dev/null -H "Authorization: Bearer $quiet_token" "$quiet_url" || { echo "warm-up failed"; exit 1; }

python3 - "$bulk_ops" >"$work/bulk.json" <<'PY'
import json, sys, uuid
n = int(sys.argv[1])
run = uuid.uuid4().hex[:8]
ops = [{"method": "POST", "path": "/Users", "bulkId": f"b{i}",
        "data": {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
                 "userName": f"bulk-{run}-{i}@example.com", "password": f"Pw-{run}-{i}-long-enough"}}
       for i in range(n)]
print(json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops}))
PY

# Loops one noisy request until killed, appending each answer's status to $work/noisy.<name>.
noise() {
    local name=$1
    shift
    while :; do
        curl -s -o /dev/null -w '%{http_code}\n' --max-time 120 -H "Authorization: Bearer $noisy_token" "$@" \
            >>"$work/noisy.$name" || echo 000 >>"$work/noisy.$name"
    done
}

# Times /healthz and the admin API's run list every 200 ms until killed; one line of seconds per answer in
# $work/<phase>.health and $work/<phase>.admin.
health() {
    while :; do
        curl -s -o /dev/null -w '%{time_total}\n' --max-time 60 "http://127.0.0.1:$port/healthz" \
            >>"$work/$1.health" || echo 60 >>"$work/$1.health"
        curl -s -o /dev/null -w '%{time_total}\n' --max-time 60 -H "Authorization: Bearer $admin_token" \
            "http://127.0.0.1:$port/admin/v1/sync/runs" >>"$work/$1.admin" || echo 60 >>"$work/$1.admin"
        sleep 0.2
    done
}

quiet_run() {
    local label=$1
    wrk -t1 -c4 -d"$duration" --latency -H "Authorization: Bearer $quiet_token" "$quiet_url" >"$work/wrk.$label"
    local rps p99
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.$label")
    p99=$(awk '$1 == "99%" {print $2}' "$work/wrk.$label")
    echo "$rps $p99"
}

to_ms() {  # wrk latency ("850.00us", "1.20ms", "2.31s") in milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

health alone &
loops+=($!)
read -r alone_rps alone_p99 < <(quiet_run alone)
stop_loops

for i in $(seq "$heavy"); do
    noise filter -G --data-urlencode "filter=displayName co \"zz$i\"" "$base/Users" &
    loops+=($!)
    noise sort "$base/Users?sortBy=displayName&sortOrder=descending&count=10&startIndex=$((i * 1000))" &
    loops+=($!)
done
noise bulk -X POST -H "Content-Type: application/scim+json" --data-binary "@$work/bulk.json" "$base/Bulk" &
loops+=($!)
health noisy &
loops+=($!)
sleep 1  # the noise is under way
read -r noisy_rps noisy_p99 < <(quiet_run noisy)
stop_loops

alone_ms=$(to_ms "$alone_p99")
noisy_ms=$(to_ms "$noisy_p99")
echo "RESULT noisy_neighbour users=$users threads=$threads heavy=$heavy bulk_ops=$bulk_ops" \
     "quiet_alone_requests_per_s=$alone_rps quiet_alone_p99=${alone_ms}ms" \
     "quiet_noisy_requests_per_s=$noisy_rps quiet_noisy_p99=${noisy_ms}ms" \
     "p99_ratio=$(awk -v a="$alone_ms" -v b="$noisy_ms" 'BEGIN { printf "%.1f", b / a }')" \
     "rps_ratio=$(awk -v a="$alone_rps" -v b="$noisy_rps" 'BEGIN { printf "%.3f", b / a }')"
echo "RESULT healthz slowest_alone=$(sort -g "$work/alone.health" | tail -1)s" \
     "slowest_noisy=$(sort -g "$work/noisy.health" | tail -1)s"
echo "RESULT admin_api slowest_alone=$(sort -g "$work/alone.admin" | tail -1)s" \
     "slowest_noisy=$(sort -g "$work/noisy.admin" | tail -1)s"
for name in filter sort bulk; do
    [ -s "$work/noisy.$name" ] || { echo "noisy $name: no answer during the run"; continue; }
    echo "noisy $name answers by status: $(sort "$work/noisy.$name" | uniq -c | awk '{printf "%s x%s ", $2, $1}')"
done
