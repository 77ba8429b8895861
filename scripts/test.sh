#!/usr/bin/env bash
# The whole test suite: native tests (unit, integration, differential against a real Redis),
# browser tests of the WebAssembly API (headless Chromium), then the release build the page
# serves, loaded in Node and driven end to end through the page in headless Chromium.
# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh || { log "setup failed"; exit 1; }

LOGS="$ROOT/target/test-logs"
mkdir -p "$LOGS"
total_pass=0
total_fail=0
summary=()

# step NAME COMMAND...: runs it, shows and keeps its output, adds up the tests it reports
# (cargo's "test result:" lines, node's "# pass"/"# fail"). A step that fails without
# reporting a failed test (a build error, say) counts as one failure.
step() {
  local name="$1"; shift
  local logfile="$LOGS/$name.log" start rc pass fail
  start=$(date +%s)
  log "== $name: $*"
  "$@" 2>&1 | tee "$logfile"
  rc=${PIPESTATUS[0]}
  pass=$(grep -aoE '(test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+)' "$logfile" \
    | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  fail=$(grep -aoE '([0-9]+ failed;|^# fail [0-9]+)' "$logfile" \
    | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
  if [ "$rc" -ne 0 ] && [ "$fail" -eq 0 ]; then fail=1; fi
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  summary+=("$(printf '%-16s %s  %4d passed, %d failed  (%ds)' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo FAILED)" "$pass" "$fail" $(( $(date +%s) - start )))")
  return "$rc"
}

# The release build, which must have been optimised by npm binaryen's wasm-opt (Debian's
# binaryen produces a module that fails to load).
build_checked() {
  local out="$LOGS/wasm-pack-build.log" rc
  build_wasm >"$out" 2>&1
  rc=$?
  cat "$out"
  [ "$rc" -eq 0 ] || return "$rc"
  copy_vendor || return 1
  if ! grep -q "found wasm-opt at \"$ROOT/node_modules/.bin/wasm-opt\"" "$out"; then
    log "the release build did not use node_modules/.bin/wasm-opt"
    return 1
  fi
}

# The browser tests (headless Chromium; wasm-pack finds Debian's chromedriver on PATH), built
# into the root target folder like everything else.
browser_tests() {
  # shellcheck disable=SC2046
  CARGO_TARGET_DIR="$ROOT/target" wasm-pack test $(toml_get test browser) "$(toml_get test crate)"
}

step native cargo test --no-fail-fast
step wasm-browser browser_tests
if step release-build build_checked; then
  step node node --test --test-reporter=tap tests/node/*.test.mjs
else
  summary+=("node             skipped: no release build")
  total_fail=$((total_fail + 1))
fi

echo
for line in "${summary[@]}"; do echo "  $line"; done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
