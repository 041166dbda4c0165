#!/usr/bin/env bash
# Live LDAP changes (a source with `live: true`): the time from an add in slapd to the user's appearance over
# SCIM, for COUNT adds one after the other, printed as median and p99 next to the time ldapadd itself took.
#
#   bench/live_latency.sh [BUILD_DIR] [USERS] [COUNT]
#
# Defaults: build 10000 50. Needs slapd, ldap-utils (ldapadd) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

BUILD=${1:-build}
USERS=${2:-10000}
COUNT=${3:-50}
DIRSYNCD=$(realpath "$BUILD/daemon/dirsyncd")
WORK=$(mktemp -d /tmp/dirsyncd-bench-live.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
SLAPD_PID=
DAEMON_PID=
cleanup() {
    [ -n "$DAEMON_PID" ] && kill "$DAEMON_PID" 2>/dev/null
    [ -n "$SLAPD_PID" ] && kill "$SLAPD_PID" 2>/dev/null
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

awk -v users="$USERS" 'BEGIN {
  print "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n"
  print "dn: ou=People,dc=example,dc=com\nobjectClass: organizationalUnit\nou: People\n"
  print "dn: cn=reader,dc=example,dc=com\nobjectClass: inetOrgPerson\ncn: reader\nsn: reader\nuserPassword: reader-secret\n"
  for (i = 1; i <= users; i++)
    printf "dn: uid=user%06d,ou=People,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: user%06d\ncn: User %d\nsn: Family%d\nmail: user%06d@example.com\n\n", i, i, i, i, i
}' > "$WORK/data.ldif"
start_slapd "$WORK" "$PORT" "$WORK/data.ldif" 'limits dn.exact="cn=reader,dc=example,dc=com" size=unlimited'

TOKEN=bench-token-0123456789
ADMIN=bench-admin-0123456789
bench_config "$WORK/dirsyncd.yaml" "$WORK/dirsyncd.db" 2 "$(digest "$TOKEN")"
echo -n "reader-secret" > "$WORK/ldap.pw"
cat >> "$WORK/dirsyncd.yaml" <<CONF
admin_tokens: [ { sha256: "$(digest "$ADMIN")" } ]
sources:
  - name: corp
    tenant: bench
    type: ldap
    url: ldap://127.0.0.1:$PORT
    bind_dn: cn=reader,dc=example,dc=com
    bind_password: { file: $WORK/ldap.pw }
    live: true
    schedule: { every: 1h, jitter: 1ms }
    users:
      base_dn: ou=People,dc=example,dc=com
      map:
        userName: "{uid}"
        displayName: "{cn}"
        emails[type eq "work"].value: "{mail|lower}"
CONF
"$DIRSYNCD" --config "$WORK/dirsyncd.yaml" >"$WORK/dirsyncd.log" 2>&1 &
DAEMON_PID=$!
HTTP=$(dirsyncd_port "$WORK/dirsyncd.log")
echo "waiting for the first run of $USERS users and the live watch"
for _ in $(seq 600); do
    grep -q "watching for live changes" "$WORK/dirsyncd.log" && break
    grep -q "run 1 failed" "$WORK/dirsyncd.log" && break
    sleep 0.2
done
grep -q "watching for live changes" "$WORK/dirsyncd.log" || { echo "no live watch" >&2; tail "$WORK/dirsyncd.log" >&2; exit 1; }

now_ms() { date +%s%3N; }
: > "$WORK/latency"
: > "$WORK/ldapadd"
for n in $(seq "$COUNT"); do
    uid="live$n"
    t0=$(now_ms)
    printf "dn: uid=%s,ou=People,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: %s\ncn: Live %s\nsn: Live\n" \
        "$uid" "$uid" "$n" |
        ldapadd -x -H "ldap://127.0.0.1:$PORT" -D cn=admin,dc=example,dc=com -w admin-secret >/dev/null
    t1=$(now_ms)
    until curl -sf -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$HTTP/scim/v2/Users?count=0&filter=userName%20eq%20%22$uid%22" |
        grep -q '"totalResults":1'; do
        [ $(($(now_ms) - t0)) -gt 30000 ] && { echo "user $uid did not appear in 30 s" >&2; exit 1; }
        sleep 0.005
    done
    echo $(($(now_ms) - t0)) >> "$WORK/latency"
    echo $((t1 - t0)) >> "$WORK/ldapadd"
done

stats() {  # file: "median N ms, p99 N ms"
    sort -n "$1" | awk '{ v[NR] = $1 } END {
        m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.99 + 0.999)]; if (p == "") p = v[NR]
        printf "median %d ms, p99 %d ms", m, p }'
}
echo "RESULT ldapadd (the write itself): $(stats "$WORK/ldapadd")"
echo "RESULT add to SCIM, live source of $USERS users: $(stats "$WORK/latency") over $COUNT adds"
echo "  live runs: $(grep -c 'started (incremental, live)' "$WORK/dirsyncd.log")"
