#!/usr/bin/env bash
# Invitations and the outbox: the time to invite N addresses (default 1000) in one request, against a baseline
# of the same run (creating N users through the admin API one request each, so the ratio says what one
# invitation costs beyond a user's write), and the outbox's delivery throughput to a local SMTP server
# (tests/support/smtp_sink.py on aiosmtpd) against a baseline of Python's smtplib sending N messages to the
# same server (one connection per message, as the outbox does).
# Prints RESULT lines.
#   bench/invitations.sh [BUILD_DIR] [N]
# Needs: curl, python3 with aiosmtpd (Debian: python3-aiosmtpd). Build first: cmake --build BUILD_DIR --target dirsyncd
set -euo pipefail
. "$(dirname "$0")/lib.sh"
build=${1:-build}
n=${2:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-/usr/bin/python3}
work=$(mktemp -d /tmp/dirsyncd-bench-invite-XXXXXX)
cleanup() {
    kill "${pid:-0}" "${sink:-0}" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
now_ms() { date +%s%3N; }

mkdir -p "$work/mail" "$work/base"
"$python" "$here/tests/support/smtp_sink.py" --dir "$work/mail" --port 0 2>"$work/sink.log" &
sink=$!
for _ in $(seq 100); do [ -s "$work/mail/ready" ] && break; sleep 0.1; done
smtp_port=$(cat "$work/mail/ready")

admin_token=admin-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
cat >"$work/dirsyncd.yaml" <<YAML
server:
  listen: 127.0.0.1:0
  threads: 2
  limits: { max_body_bytes: 4MiB }
logging: { level: info, access_log: false }
storage:
  sqlite: $work/d.db
admin_tokens: [ { sha256: "$(digest "$admin_token")" } ]
tenants:
  - { id: inv, name: Invited, provisioning: invite, invitations: { daily_limit: 100000 } }
  - { id: base, name: Baseline, provisioning: invite }
notifications:
  email: { smtp: "smtp://127.0.0.1:$smtp_port", starttls: none, from: bench@dirsync.example }
YAML
"$build/daemon/dirsyncd" --config "$work/dirsyncd.yaml" 2>"$work/log" &
pid=$!
port=$(dirsyncd_port "$work/log")
api="http://127.0.0.1:$port/admin/v1"

# Baseline: N single user creations through the admin API, over one keep-alive connection.
for i in $(seq "$n"); do
    [ "$i" = 1 ] || echo "next"
    echo "url = \"$api/tenants/base/users\""
    echo "header = \"Authorization: Bearer $admin_token\""
    echo "header = \"Content-Type: application/json\""
    echo "data = \"{\\\"userName\\\":\\\"b$i@base.example\\\"}\""
    echo "output = /dev/null"
    echo "fail"
done >"$work/curl.cfg"
start=$(now_ms)
curl -s -K "$work/curl.cfg"
base_ms=$(( $(now_ms) - start ))

emails=$(seq "$n" | sed 's/.*/"p&@inv.example"/' | paste -sd, -)
start=$(now_ms)
curl -sf -o "$work/answer" -H "Authorization: Bearer $admin_token" -d "{\"emails\":[$emails]}" "$api/tenants/inv/invitations"
invite_ms=$(( $(now_ms) - start ))
invited=$("$python" -c "import json,sys; print(json.load(open(sys.argv[1]))['invited'])" "$work/answer")
echo "RESULT invitations n=$n invited=$invited one_request_ms=$invite_ms baseline_single_creates_ms=$base_ms ratio_to_baseline=$(awk -v a="$invite_ms" -v b="$base_ms" 'BEGIN { printf "%.2f", a / b }')"

# The outbox delivers them: wait for the N-th message.
while [ ! -e "$work/mail/msg-$n.json" ]; do
    sleep 0.05
    [ $(( $(now_ms) - start )) -lt 600000 ] || { echo "outbox did not deliver $n messages"; exit 1; }
done
deliver_ms=$(( $(now_ms) - start ))
outbox_rate=$(awk -v n="$n" -v ms="$deliver_ms" 'BEGIN { printf "%.0f", n * 1000 / ms }')

# Baseline: smtplib sends N messages, one connection each, to a second sink.
kill "$sink"; wait "$sink" 2>/dev/null || true
"$python" "$here/tests/support/smtp_sink.py" --dir "$work/base" --port 0 2>>"$work/sink.log" &
sink=$!
for _ in $(seq 100); do [ -s "$work/base/ready" ] && break; sleep 0.1; done
base_rate=$("$python" - "$(cat "$work/base/ready")" "$n" <<'PY'
import smtplib, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
start = time.time()
for i in range(n):
    with smtplib.SMTP("127.0.0.1", port) as s:
        s.sendmail("bench@dirsync.example", ["p%d@inv.example" % i],
                   "Subject: You are invited\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello %d\r\n" % i)
print("%.0f" % (n / (time.time() - start)))
PY
)
echo "RESULT outbox n=$n delivered_ms=$deliver_ms messages_per_s=$outbox_rate baseline_smtplib_messages_per_s=$base_rate ratio_to_baseline=$(awk -v a="$outbox_rate" -v b="$base_rate" 'BEGIN { printf "%.2f", a / b }')"
