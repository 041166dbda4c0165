#!/usr/bin/env bash
# Tenant administration reads on a tenant of USERS users (default 100000): the admin API's user list by status
# (first page and a deep page by cursor), search by e-mail/userName prefix, by a name prefix, and by IdP
# subject, each under wrk (-t1 -c4). Every query is index-backed; the baseline of the same run is one user
# read by id through the same API, so the ratios say what a query costs beyond routing and rendering.
# Prints RESULT lines: requests/s, p99, and the ratio of requests/s to the baseline.
#   bench/tenant_admin.sh [BUILD_DIR] [USERS]
# Environment: DURATION (wrk -d, default 5s).
# Needs: wrk, curl. Build first: cmake --build BUILD_DIR --target dirsyncd seed_users
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
users=${2:-100000}
duration=${DURATION:-5s}
work=$(mktemp -d /tmp/dirsyncd-bench-admin-XXXXXX)
cleanup() {
    kill "${pid:-0}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

admin_token=admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
start_seeded_admin_daemon "$build" "$work" "$users" "$admin_token"
base="http://127.0.0.1:$port/admin/v1/tenants/big"
sample=$(cat "$work/sample_id")
half=$((users / 2))
deep=$((users * 9 / 10))

to_ms() {  # wrk latency ("850.00us", "1.20ms", "2.31s") in milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

# Runs wrk on one URL; prints "requests/s p99_ms".
measure() {
    local url=$1
    curl -sf -o /dev/null -H "Authorization: Bearer $admin_token" "$url" || { echo "failed: $url" >&2; exit 1; }
    wrk -t1 -c4 -d"$duration" --latency -H "Authorization: Bearer $admin_token" "$url" >"$work/wrk"
    echo "$(awk '/Requests\/sec/ {print $2}' "$work/wrk") $(to_ms "$(awk '$1 == "99%" {print $2}' "$work/wrk")")"
}

read -r base_rps base_p99 < <(measure "$base/users/$sample")
echo "RESULT tenant_admin users=$users baseline=get_user_by_id requests_per_s=$base_rps p99=${base_p99}ms"
for query in "status=provisioned&limit=50" \
             "status=provisioned&limit=50&cursor=u$deep" \
             "search=user$half&limit=50" \
             "search=user$half%40exam&limit=50" \
             "search=family$half&limit=50" \
             "subject=ext-$half"; do
    read -r rps p99 < <(measure "$base/users?$query")
    ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
    echo "RESULT tenant_admin users=$users query=$query requests_per_s=$rps p99=${p99}ms ratio_to_baseline=$ratio"
done
