#!/usr/bin/env bash
# GET /scim/v2/Users/{id} (MODE id, the default) or GET /scim/v2/Users?filter=userName eq "..." (MODE filter):
# bench/scim_http.sh with one of its GET modes, kept for the commands that name this script.
#   bench/get_user.sh [BUILD_DIR] [USERS] [SERVER_THREADS] [MODE]
set -euo pipefail
case "${4:-id}" in id|filter) ;; *) echo "MODE must be id or filter" >&2; exit 2 ;; esac
exec "$(dirname "$0")/scim_http.sh" "${1:-build}" "${2:-100000}" "${3:-1}" "${4:-id}"
