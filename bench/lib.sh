# Shared by the bench scripts (source it): the token digest a configuration holds, the configuration of a
# benchmark's dirsyncd, and the port a started dirsyncd listens on.

# The hex SHA-256 of a token, as `sha256:` in the configuration.
digest() { printf %s "$1" | sha256sum | cut -d' ' -f1; }

# Waits (up to 10 s) until the dirsyncd logging to LOG listens, then prints its port; prints the log and exits
# the script when it does not start.
dirsyncd_port() {
    local log=$1 port=
    for _ in $(seq 100); do grep -q "listening on" "$log" && break; sleep 0.1; done
    port=$(sed -n 's/.*listening on [^ ]*:\([0-9]*\) .*/\1/p' "$log")
    [ -n "$port" ] || { echo "dirsyncd did not start" >&2; cat "$log" >&2; exit 1; }
    echo "$port"
}

# Writes a dirsyncd configuration to FILE for a benchmark: loopback on a kernel-chosen port, THREADS I/O threads,
# no access log, the store at DB, and one tenant "bench" whose SCIM token has the digest DIGEST.
#   bench_config FILE DB THREADS DIGEST
bench_config() {
    cat >"$1" <<YAML
server:
  listen: 127.0.0.1:0
  threads: $3
logging: { level: info, access_log: false }
storage:
  sqlite: $2
tenants:
  - id: bench
    name: Bench
    scim_tokens: [ { sha256: "$4" } ]
YAML
}

# Seeds USERS users into tenant "big" of a store under WORK (WORK/sample_id: one of their ids), writes a
# configuration whose tenant admin token is TOKEN, starts BUILD's dirsyncd on it (2 I/O threads, a
# kernel-chosen port) and sets `pid` and `port`. The caller kills $pid.
#   start_seeded_admin_daemon BUILD WORK USERS TOKEN
start_seeded_admin_daemon() {
    local build=$1 work=$2 users=$3 token=$4
    "$build/bench/seed_users" "$work/d.db" big "$users" "$work/sample_id" >/dev/null
    cat >"$work/dirsyncd.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  threads: 2
logging: { level: info, access_log: false }
storage:
  sqlite: $work/d.db
tenants:
  - id: big
    name: Big
    admin_tokens: [ { sha256: "$(digest "$token")" } ]
YAML
    "$build/daemon/dirsyncd" --config "$work/dirsyncd.yaml" 2>"$work/log" &
    pid=$!
    port=$(dirsyncd_port "$work/log")
}

# Loads LDIF into a fresh slapd (back_mdb, suffix dc=example,dc=com, rootdn cn=admin with admin-secret, the
# syncprov overlay, users may read) under WORK and starts it on 127.0.0.1:PORT, waiting until it answers;
# sets SLAPD_PID. LIMITS is a slapd.conf line giving the reading account its size limit.
#   start_slapd WORK PORT LDIF LIMITS
start_slapd() {
    local work=$1 port=$2 ldif=$3 limits=$4
    mkdir -p "$work/db"
    cat > "$work/slapd.conf" <<CONF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload syncprov
pidfile $work/slapd.pid
database mdb
suffix "dc=example,dc=com"
rootdn "cn=admin,dc=example,dc=com"
rootpw admin-secret
directory $work/db
$limits
maxsize 2147483648
index objectClass eq
index entryUUID,entryCSN eq
access to attrs=userPassword by self write by anonymous auth by * none
access to * by users read by * none
overlay syncprov
syncprov-sessionlog 10000
CONF
    local start; start=$(date +%s.%N)
    /usr/sbin/slapadd -q -f "$work/slapd.conf" -l "$ldif"
    echo "slapadd: $(echo "$(date +%s.%N) - $start" | bc) s"
    /usr/sbin/slapd -f "$work/slapd.conf" -h "ldap://127.0.0.1:$port/" -d 0 >"$work/slapd.log" 2>&1 &
    SLAPD_PID=$!
    for _ in $(seq 100); do ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base >/dev/null 2>&1 && break; sleep 0.1; done
}
