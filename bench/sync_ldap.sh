#!/usr/bin/env bash
# Full reconcile of a local slapd into a tenant: the first run (all creates) and a second run with no change,
# timed next to `ldapsearch -E pr=1000/noprompt` dumping the same entries, with the peak RSS of dirsyncd.
#
#   bench/sync_ldap.sh [BUILD_DIR] [USERS] [GROUPS] [MEMBERS_PER_GROUP]
#
# Defaults: build 100000 1000 100. ROUNDS (default 3): how many times the unchanged run and ldapsearch are
# timed, interleaved; the ratios compare medians. Needs slapd and ldap-utils (ldapsearch) and GNU time (/usr/bin/time) or
# falls back to reading VmHWM. The reader account has a size limit of 1000 per request, like Active
# Directory's MaxPageSize, so only a paged read gets everything.
#
# STORES="sqlite postgresql" runs the same two reconciles into a private PostgreSQL 15 cluster too
# (tests/support/postgres_cluster.sh, durable commits) and prints each as a ratio to SQLite's; the RSS is
# dirsyncd's alone, the server's memory is not counted. Default: sqlite.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

BUILD=${1:-build}
USERS=${2:-100000}
NGROUPS=${3:-1000}
MEMBERS=${4:-100}
DIRSYNCD=$(realpath "$BUILD/daemon/dirsyncd")
WORK=$(mktemp -d /tmp/dirsyncd-bench-sync.XXXXXX)
PORT=$((20000 + RANDOM % 20000))
STORES=${STORES:-sqlite}
SLAPD_PID=
cleanup() {
  [ -n "$SLAPD_PID" ] && kill "$SLAPD_PID" 2>/dev/null
  wait 2>/dev/null || true
  [ -d "$WORK/pg" ] && tests/support/postgres_cluster.sh stop "$WORK/pg" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "generating $USERS users and $NGROUPS groups of $MEMBERS members in $WORK"
awk -v users="$USERS" -v groups="$NGROUPS" -v members="$MEMBERS" 'BEGIN {
  print "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n"
  print "dn: ou=People,dc=example,dc=com\nobjectClass: organizationalUnit\nou: People\n"
  print "dn: ou=Groups,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Groups\n"
  print "dn: cn=reader,dc=example,dc=com\nobjectClass: inetOrgPerson\ncn: reader\nsn: reader\nuserPassword: reader-secret\n"
  for (i = 1; i <= users; i++) {
    uid = sprintf("user%06d", i)
    printf "dn: uid=%s,ou=People,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: %s\ngivenName: Given%d\nsn: Family%d\ncn: Given%d Family%d\nmail: %s@example.com\nemployeeNumber: %d\ntitle: Engineer\n\n", uid, uid, i, i, i, i, uid, i
  }
  for (g = 1; g <= groups; g++) {
    printf "dn: cn=group%04d,ou=Groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: group%04d\n", g, g
    for (m = 0; m < members; m++) printf "member: uid=user%06d,ou=People,dc=example,dc=com\n", ((g - 1) * members + m) % users + 1
    print ""
  }
}' > "$WORK/data.ldif"

start_slapd "$WORK" "$PORT" "$WORK/data.ldif" "sizelimit size.soft=1000 size.hard=1000 size.prtotal=unlimited"

echo -n "reader-secret" > "$WORK/ldap.pw"
cat > "$WORK/dirsyncd.yaml" <<CONF
storage:
  sqlite: $WORK/dirsyncd.db
tenants:
  - id: acme
    name: Acme
sources:
  - name: corp
    tenant: acme
    type: ldap
    url: ldap://127.0.0.1:$PORT
    bind_dn: cn=reader,dc=example,dc=com
    bind_password: { file: $WORK/ldap.pw }
    page_size: 1000
    users:
      base_dn: ou=People,dc=example,dc=com
      map:
        userName: "{uid}"
        name.givenName: "{givenName}"
        name.familyName: "{sn}"
        displayName: "{cn}"
        title: "{title}"
        emails[type eq "work"].value: "{mail|lower}"
        externalId: "{employeeNumber}"
    groups:
      base_dn: ou=Groups,dc=example,dc=com
    safety: { max_orphans: 500, max_orphan_ratio: 0.1 }
CONF

declare -A SECS  # label -> elapsed seconds
timed() {  # label, command...: prints elapsed seconds and peak RSS
  local label=$1; shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%e %M" -o "$WORK/time.out" "$@" >"$WORK/$label.out" 2>&1 || true
    # A command that exits non-zero (ldapsearch at the size limit) makes GNU time write a line before the figures.
    read -r secs kib < <(tail -n 1 "$WORK/time.out")
    SECS[$label]=$secs
    echo "RESULT $label: ${secs} s, peak RSS $((kib / 1024)) MiB"
  else
    local t0; t0=$(date +%s.%N)
    "$@" >"$WORK/$label.out" 2>&1 || true
    SECS[$label]=$(echo "$(date +%s.%N) - $t0" | bc)
    echo "RESULT $label: ${SECS[$label]} s"
  fi
}

# The baseline and the unchanged run are short and this machine is noisy: each is taken ROUNDS times (default 3),
# interleaved, and compared by their medians.
ROUNDS=${ROUNDS:-3}
LDAPSEARCH_SECS=()
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ldapsearch_round() {
  local label="ldapsearch_$(( ${#LDAPSEARCH_SECS[@]} + 1 ))"
  timed "$label" ldapsearch -x -LLL -H "ldap://127.0.0.1:$PORT" -D cn=reader,dc=example,dc=com -w reader-secret \
    -b ou=People,dc=example,dc=com -E pr=1000/noprompt "(objectClass=inetOrgPerson)" \
    uid givenName sn cn title mail employeeNumber entryUUID
  LDAPSEARCH_SECS+=("${SECS[$label]}")
  [ "$label" = ldapsearch_1 ] && echo "  ldapsearch returned $(grep -c '^dn:' "$WORK/$label.out") users"
  return 0
}
ldapsearch_round
# The two reconciles into STORE ("sqlite" or "postgresql"): RESULT lines <store>_first_run, <store>_second_run.
reconcile() {
  local store=$1 config="$WORK/dirsyncd.yaml"
  if [ "$store" = postgresql ]; then
    chmod 755 "$WORK"
    DIRSYNC_PG_DURABLE=1 tests/support/postgres_cluster.sh start "$WORK/pg" >/dev/null
    local pg_port; pg_port=$(cat "$WORK/pg/port")
    psql -q -h 127.0.0.1 -p "$pg_port" -U dirsync -d postgres -c "CREATE DATABASE bench_sync"
    config="$WORK/postgresql.yaml"
    sed "s|^  sqlite: .*|  postgresql: { host: 127.0.0.1, port: $pg_port, database: bench_sync, user: dirsync, sslmode: disable }|" \
      "$WORK/dirsyncd.yaml" >"$config"
  fi
  timed "${store}_first_run" "$DIRSYNCD" sync --config "$config" --source corp --full
  grep -v "^20" "$WORK/${store}_first_run.out" | head -6 | sed 's/^/  /'
  local rounds=() r
  for r in $(seq "$ROUNDS"); do
    timed "${store}_second_run_$r" "$DIRSYNCD" sync --config "$config" --source corp --full
    rounds+=("${SECS[${store}_second_run_$r]}")
    ldapsearch_round
  done
  grep -v "^20" "$WORK/${store}_second_run_1.out" | head -6 | sed 's/^/  /'
  SECS[${store}_second_run]=$(median "${rounds[@]}")
  echo "RESULT ${store}_second_run: median ${SECS[${store}_second_run]} s of $ROUNDS"
}
for store in $STORES; do reconcile "$store"; done
SECS[ldapsearch]=$(median "${LDAPSEARCH_SECS[@]}")
echo "RESULT ldapsearch: median ${SECS[ldapsearch]} s of ${#LDAPSEARCH_SECS[@]}"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
for store in $STORES; do
  echo "RESULT $store vs ldapsearch: first run $(ratio "${SECS[${store}_first_run]}" "${SECS[ldapsearch]}")x," \
    "second run $(ratio "${SECS[${store}_second_run]}" "${SECS[ldapsearch]}")x"
done
if [[ " $STORES " == *" sqlite "* && " $STORES " == *" postgresql "* ]]; then
  echo "RESULT postgresql vs sqlite: first run $(ratio "${SECS[postgresql_first_run]}" "${SECS[sqlite_first_run]}")x," \
    "second run $(ratio "${SECS[postgresql_second_run]}" "${SECS[sqlite_second_run]}")x"
fi
