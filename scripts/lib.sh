# Shared helpers for the project scripts. Source it; do not run it.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

# toml_get SECTION KEY -> value of KEY in [SECTION] of wasm-pack.toml (quotes stripped).
toml_get() {
  awk -v sec="[$1]" -v key="$2" '
    /^\[/ { insec = ($0 == sec); next }
    insec && $1 == key { sub(/^[^=]*=[ \t]*/, ""); gsub(/"/, ""); sub(/[ \t]*#.*/, ""); print; exit }
  ' "$ROOT/wasm-pack.toml"
}

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
