#!/usr/bin/env bash
# Builds the page's WebAssembly (release, optimised) and serves www/ on http://127.0.0.1:8080.
# Host and port come from wasm-pack.toml ([serve]); HOST=... PORT=... override them.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

bash scripts/setup.sh
build_wasm
copy_vendor
HOST="${HOST:-$(toml_get serve host)}"
PORT="${PORT:-$(toml_get serve port)}"
exec node scripts/static-server.mjs www "$HOST" "$PORT"
