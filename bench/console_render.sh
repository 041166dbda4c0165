#!/usr/bin/env bash
# Time to first render of the admin console's users table on a tenant of USERS users (default 100000), in
# headless Chromium (bench/console_render.py). Beside it, in the same run, the console's page fetched with curl
# and its baseline: the admin API's JSON page of the same 50 users (what the console adds beyond the API is
# the session, the HTML and its layout).
#   bench/console_render.sh [BUILD_DIR] [USERS] [ROUNDS]
# Needs: chromium, chromium-driver, python3-selenium, curl. Build first: cmake --build BUILD_DIR --target dirsyncd
# seed_users
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
users=${2:-100000}
rounds=${3:-20}
work=$(mktemp -d /tmp/dirsyncd-bench-console-XXXXXX)
cleanup() {
    kill "${pid:-0}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

admin_token=admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
start_seeded_admin_daemon "$build" "$work" "$users" "$admin_token"
base="http://127.0.0.1:$port"

# The median over ROUNDS curl requests of URL (with the extra curl arguments after it), in milliseconds.
median_ms() {
    local url=$1; shift
    for _ in $(seq "$rounds"); do
        curl -sf -o /dev/null -w '%{time_total}\n' "$@" "$url" || { echo "failed: $url" >&2; exit 1; }
    done | sort -n | awk '{a[NR] = $1 * 1000} END {printf "%.1f", a[int((NR + 1) / 2)]}'
}

api=$(median_ms "$base/admin/v1/tenants/big/users?limit=50" -H "Authorization: Bearer $admin_token")
echo "RESULT admin_api_users_page users=$users total_ms=$api (curl, median of $rounds)"
# The console's page of the same 50 users, signed in with curl's cookie jar.
jar=$work/cookies
csrf=$(curl -sf -c "$jar" -b "$jar" "$base/console/sign-in" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -sf -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "token=$admin_token" \
    "$base/console/sign-in"
page=$(median_ms "$base/console/tenants/big/users" -b "$jar")
echo "RESULT console_users_page users=$users total_ms=$page (curl, median of $rounds)"
echo "RESULT ratio console_page/api_page=$(awk -v a="$api" -v p="$page" 'BEGIN {printf "%.2f", p / a}')"
"${PYTHON:-/usr/bin/python3}" "$(dirname "$0")/console_render.py" "$base" "$admin_token" big "$rounds"
