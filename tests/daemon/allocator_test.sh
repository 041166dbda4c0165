#!/usr/bin/env bash
# dirsyncd is linked with jemalloc, and jemalloc runs with daemon/allocator_settings.cpp's options: its
# statistics at exit (MALLOC_CONF=stats_print:true, added to the built-in settings) name them.
#   allocator_test.sh DIRSYNCD
set -euo pipefail
dirsyncd=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

ldd "$dirsyncd" | grep -q 'libjemalloc\.so' || fail "dirsyncd does not load libjemalloc: $(ldd "$dirsyncd" | tr '\n' ' ')"
stats=$(MALLOC_CONF=stats_print:true "$dirsyncd" --version 2>&1 >/dev/null) || fail "dirsyncd --version failed"
grep -q 'opt.background_thread: true' <<<"$stats" ||
  fail "jemalloc's background thread is not on; its statistics say: $(grep -m3 'opt\.' <<<"$stats" | tr '\n' ' ')"
echo "ok: dirsyncd runs on jemalloc with its background thread"
