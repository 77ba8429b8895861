# Shared helpers for the project scripts. Source it; do not run it.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The npm tools (node_modules/.bin: binaryen's wasm-opt) come first, so that wasm-pack uses that
# wasm-opt and never another one on the machine (Debian's binaryen breaks the module).
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# toml_get SECTION KEY -> value of KEY in [SECTION] of wasm-pack.toml (quotes stripped).
toml_get() {
  awk -v sec="[$1]" -v key="$2" '
    /^\[/ { insec = ($0 == sec); next }
    insec && $1 == key { sub(/^[^=]*=[ \t]*/, ""); sub(/[ \t]*#.*/, ""); gsub(/"/, ""); print; exit }
  ' "$ROOT/wasm-pack.toml"
}

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }

# build_wasm: the release WebAssembly build the page loads (www/pkg), as wasm-pack.toml says.
# serve.sh and test.sh both build through here, so the tests load exactly what is served.
build_wasm() {
  local target out_dir out_name profile opt_level inline_threshold wasm_opt
  target="$(toml_get build target)"
  out_dir="$(toml_get build out-dir)"
  out_name="$(toml_get build out-name)"
  profile="$(toml_get build profile)"
  opt_level="$(toml_get build opt-level)"
  inline_threshold="$(toml_get build inline-threshold)"
  wasm_opt="$(command -v wasm-opt || true)"
  if [ "$wasm_opt" != "$ROOT/node_modules/.bin/wasm-opt" ]; then
    log "wasm-opt must be node_modules/.bin/wasm-opt (npm binaryen), found: ${wasm_opt:-none}; run scripts/setup.sh"
    return 1
  fi
  log "wasm-pack build $profile --target $target --out-dir $out_dir --out-name $out_name" \
    "(opt-level ${opt_level:-of Cargo.toml}, inline threshold ${inline_threshold:-default})"
  (
    cd "$ROOT" || exit 1
    # Size settings for this build only: native release builds keep Cargo.toml's profile.
    if [ -n "$opt_level" ]; then export CARGO_PROFILE_RELEASE_OPT_LEVEL="$opt_level"; fi
    if [ -n "$inline_threshold" ]; then
      export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C llvm-args=-inline-threshold=$inline_threshold"
    fi
    wasm-pack build "$profile" --target "$target" --out-dir "$out_dir" --out-name "$out_name"
  )
}

# copy_vendor: the page's third-party browser files, pinned in package.json and copied from
# node_modules into www/vendor (with their licenses): Prism's core and JavaScript grammar (code
# highlighting), acorn (positions of syntax errors in edited code) and uPlot (the rate-limit
# charts). Idempotent.
copy_vendor() {
  local vendor="$ROOT/www/vendor" prism="$ROOT/node_modules/prismjs" acorn="$ROOT/node_modules/acorn"
  local uplot="$ROOT/node_modules/uplot"
  if [ ! -f "$prism/components/prism-core.min.js" ] || [ ! -f "$acorn/dist/acorn.mjs" ] || [ ! -f "$uplot/dist/uPlot.esm.js" ]; then
    log "node_modules lacks prismjs, acorn or uplot; run scripts/setup.sh"
    return 1
  fi
  mkdir -p "$vendor"
  {
    cat "$prism/components/prism-core.min.js"; echo
    cat "$prism/components/prism-clike.min.js"; echo
    cat "$prism/components/prism-javascript.min.js"; echo
  } > "$vendor/prism.js.tmp"
  mv "$vendor/prism.js.tmp" "$vendor/prism.js"
  cp "$prism/LICENSE" "$vendor/prism.LICENSE.txt"
  cp "$acorn/dist/acorn.mjs" "$vendor/acorn.mjs"
  cp "$acorn/LICENSE" "$vendor/acorn.LICENSE.txt"
  cp "$uplot/dist/uPlot.esm.js" "$vendor/uPlot.esm.js"
  cp "$uplot/dist/uPlot.min.css" "$vendor/uPlot.min.css"
  cp "$uplot/LICENSE" "$vendor/uPlot.LICENSE.txt"
}
