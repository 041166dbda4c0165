#!/bin/bash
# Runs docs/sync.md's "Try it against a local slapd" block as written, so that it keeps working as pasted.
# Only what a test cannot share with a developer's machine is replaced: the directory (/tmp/dirsync-try), the
# port (3389) and the daemon's path (./build, the README's build). The block's apt-get line is left out (the
# README's test command installed slapd).
#
# usage: try_sync_test.sh DOCS_SYNC_MD DIRSYNCD PYTHON3
set -euo pipefail
doc=$1 dirsyncd=$2 python=$3

work=$(mktemp -d /tmp/dirsync-try-test.XXXXXX)
cleanup() {
    if [ -f "$work/try/slapd.pid" ]; then kill "$(cat "$work/try/slapd.pid")" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

block=$(awk '/<!-- try-it:/ { marked = 1; next }
             marked && /^```sh$/ { inside = 1; next }
             inside && /^```$/ { exit }
             inside { print }' "$doc")
[ -n "$block" ] || { echo "no try-it block in $doc"; exit 1; }
first=$(printf '%s\n' "$block" | head -n 1)
case $first in
    *"apt-get install"*slapd*) ;;
    *) echo "the block's first line is not the apt-get install of slapd: $first"; exit 1 ;;
esac
port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
script=$(printf '%s\n' "$block" | tail -n +2 |
         sed -e "s|/tmp/dirsync-try|$work/try|g" -e "s|3389|$port|g" -e "s|\./build/daemon/dirsyncd|$dirsyncd|g")

out=$(bash -euo pipefail -c "$script" 2>&1) || { echo "$out"; echo "the try-it block failed"; exit 1; }
echo "$out"
expect() { grep -qF -- "$1" <<<"$out" || { echo "missing from the output: $1"; exit 1; }; }
expect "run 1 of try-ldap (full, dry run): ok"
expect "would create  ada (uid=ada,ou=people,dc=example,dc=com) roles admin"
expect "would create group admins"
expect "run 2 of try-ldap (full): ok"
expect "create  grace (uid=grace,ou=people,dc=example,dc=com)"

# "Run it again and it finds nothing to change."
again=$("$dirsyncd" sync --config "$work/try/dirsyncd.yaml" --source try-ldap 2>&1)
echo "$again"
grep -qE "run 3 of try-ldap \((full|incremental)\): ok" <<<"$again" || { echo "the third run did not end ok"; exit 1; }
if grep -qE "^  (create|update)" <<<"$again"; then echo "the third run changed something"; exit 1; fi
echo "try-it block OK"
