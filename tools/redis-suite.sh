#!/usr/bin/env bash
# Runs Redis 7.0's own test suite, in its external-server mode, against `redis-play --port`.
#
#   tools/redis-suite.sh PATH_TO_REDIS_7.0_SOURCE [UNIT...]
#
# PATH_TO_REDIS_7.0_SOURCE is an unpacked redis 7.0 source tree (for instance from
# `apt-get source redis` on Debian 12, or a checkout of the 7.0 tag); it is only read. Its
# tests/ folder is copied to a temporary directory and run from there, one unit at a time, each
# against a fresh server on a free loopback port. Nothing is built: the server is $REDIS_PLAY, or target/release/redis-play
# (`cargo build --release --bin redis-play`).
#
# Tests are left out with the suite's own switches for servers that lack a capability (its
# tests/README.md): needs:debug (DEBUG, a server internal), needs:repl (replication: the engine has
# no replicas), needs:config-maxmemory (no memory limit or eviction) and resp3 (the engine speaks
# RESP2 only). Three adaptations are made to the copy's harness (tests/support/), none to any test:
# - it empties the server with `FUNCTION FLUSH` before each test file; the engine has no
#   functions, so that call's error is ignored;
# - it applies a test file's config overrides with CONFIG SET; an override the engine does not
#   know (`save`, persistence and replication settings) is skipped instead of aborting the whole
#   file, so the tests that do not depend on it still run (those that do fail and are counted);
# - its `memory_usage` helper asks MEMORY USAGE, which the engine does not have, outside any test
#   (so an error would abort the whole file); it answers 1 then, the constant the helper itself
#   uses whenever the server's allocator is not jemalloc.
# Tests run with --durable: an unexpected error fails that one test, not the rest of the unit.
#
# Prints, for each unit, the tests that passed, failed and were skipped, then a table. Logs are
# kept in target/redis-suite/. Exit status: 0 when the suite ran (failures are reported, not
# fatal), non-zero when it could not run.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SRC="${1:-}"
if [ -z "$SRC" ] || [ ! -f "$SRC/tests/test_helper.tcl" ]; then
  echo "usage: $0 PATH_TO_REDIS_7.0_SOURCE [UNIT...]   (a tree with tests/test_helper.tcl)" >&2
  exit 2
fi
shift
UNITS=("$@")
if [ ${#UNITS[@]} -eq 0 ]; then
  UNITS=(unit/type/string unit/type/incr unit/type/hash unit/type/list unit/type/list-2
         unit/type/list-3 unit/type/set unit/type/zset unit/expire unit/multi unit/pubsub
         unit/keyspace unit/scan)
fi
BIN="${REDIS_PLAY:-$ROOT/target/release/redis-play}"
if [ ! -x "$BIN" ]; then
  echo "no server binary at $BIN: run 'cargo build --release --bin redis-play' (or set REDIS_PLAY)" >&2
  exit 2
fi
TCLSH="$(command -v tclsh8.6 || command -v tclsh || true)"
if [ -z "$TCLSH" ]; then
  echo "tclsh 8.5+ is needed (apt-get install tcl)" >&2
  exit 2
fi

TAGS="-needs:debug -needs:repl -needs:config-maxmemory -resp3"
LOGS="$ROOT/target/redis-suite"
mkdir -p "$LOGS"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

cp -r "$SRC/tests" "$WORK/tests"
rm -rf "$WORK/tests/tmp"
mkdir -p "$WORK/tests/tmp"
sed -i -e 's/^\(\s*\)r function flush$/\1catch {r function flush}/' \
  -e 's/^\(\s*\)r config set \$param \$val$/\1catch {r config set $param $val}/' \
  "$WORK/tests/support/server.tcl"
sed -i 's/^\(\s*\)set usage \[r memory usage \$key\]$/\1if {[catch {set usage [r memory usage $key]}]} {set usage 1}/' \
  "$WORK/tests/support/util.tcl"
for f in server.tcl util.tcl; do
  if cmp -s "$SRC/tests/support/$f" "$WORK/tests/support/$f"; then
    echo "tests/support/$f is not the one this script knows (redis 7.0): could not adapt it" >&2
    exit 2
  fi
done

# start_server: a fresh redis-play on a free port; sets PORT and SERVER_PID.
start_server() {
  local out="$WORK/server.out"
  : >"$out"
  "$BIN" --port 0 >"$out" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    PORT="$(sed -n 's/.*ready to accept connections on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$out")"
    [ -n "$PORT" ] && return 0
    sleep 0.05
  done
  echo "redis-play did not start: $(cat "$out")" >&2
  return 1
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null
  wait "$SERVER_PID" 2>/dev/null
  SERVER_PID=""
}

rows=()
total_ok=0
total_err=0
for unit in "${UNITS[@]}"; do
  start_server || exit 1
  log="$LOGS/$(echo "$unit" | tr / _).log"
  (cd "$WORK" && timeout 1800 "$TCLSH" tests/test_helper.tcl --host 127.0.0.1 --port "$PORT" \
      --tags "$TAGS" --durable --timeout 300 --single "$unit" --dont-clean) >"$log" 2>&1
  alive=yes
  kill -0 "$SERVER_PID" 2>/dev/null || alive=no
  stop_server
  plain="$(sed 's/\x1b\[[0-9;]*m//g' "$log")"
  ok=$(grep -c '^\[ok\]:' <<<"$plain")
  err=$(grep -c '^\[err\]:' <<<"$plain")
  skip=$(grep -cE '^\[(skip|ignore)\]:' <<<"$plain")
  exc=$(grep -c '^\[exception\]:' <<<"$plain")
  note=""
  [ "$exc" -gt 0 ] && note="stopped by an exception (see log)"
  if [ $((ok + err + exc)) -eq 0 ]; then note="DID NOT RUN (see log)"; exc=1; fi
  [ "$alive" = no ] && note="SERVER DIED"
  total_ok=$((total_ok + ok))
  total_err=$((total_err + err + exc))
  rows+=("$(printf '| %-18s | %5d | %5d | %5d | %s |' "$unit" "$ok" "$((err + exc))" "$skip" "$note")")
  printf '%-18s %4d passed, %d failed, %d skipped %s\n' "$unit" "$ok" "$((err + exc))" "$skip" "$note"
  grep -E '^\[(err|exception)\]:' <<<"$plain" | sed 's/^/    /'
done

echo
echo "| unit               | passed | failed | skipped | note |"
echo "|--------------------|-------:|-------:|--------:|------|"
for r in "${rows[@]}"; do echo "$r"; done
echo
echo "suite: $total_ok passed, $total_err failed (logs in $LOGS)"
