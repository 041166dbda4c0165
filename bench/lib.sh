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
