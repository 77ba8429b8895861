#!/usr/bin/env bash
# Installs everything the build and the tests need, skipping what is already present at the
# pinned version (wasm-pack.toml). Safe to run again: a warm machine pays only a few checks.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

WB_VERSION="$(toml_get tools wasm-bindgen-cli)"
WP_VERSION="$(toml_get tools wasm-pack)"

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# 1. Debian packages: the reference Redis (test oracle) and a headless browser with its driver.
need_pkgs=()
command -v redis-server >/dev/null || need_pkgs+=(redis-server)
# redis-tools also brings redis-benchmark, which the RESP server's tests run.
{ command -v redis-cli >/dev/null && command -v redis-benchmark >/dev/null; } || need_pkgs+=(redis-tools)
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
[ -x /usr/bin/chromedriver ] || need_pkgs+=(chromium-driver)
if [ ${#need_pkgs[@]} -gt 0 ]; then apt_install "${need_pkgs[@]}"; fi

# 2. Rust wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 3. wasm-bindgen-cli at exactly the version pinned in Cargo.toml (no --locked: see toolchain notes).
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WB_VERSION\$"; then
  log "cargo install wasm-bindgen-cli $WB_VERSION"
  cargo install -q wasm-bindgen-cli --version "$WB_VERSION" --force
fi
if ! grep -q "wasm-bindgen = \"=$WB_VERSION\"" Cargo.toml; then
  log "Cargo.toml does not pin wasm-bindgen = \"=$WB_VERSION\" (wasm-pack.toml says so)"; exit 1
fi

# 4. wasm-pack.
if ! wasm-pack --version 2>/dev/null | grep -q " $WP_VERSION\$"; then
  log "cargo install wasm-pack $WP_VERSION"
  cargo install -q wasm-pack --version "$WP_VERSION" --force
fi

# 5. Node.js 20+ (the machine's own; the npm tools and the Node tests need it).
node_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
if [ "$node_major" -lt 20 ]; then
  log "Node.js 20 or later is needed (found: $(node --version 2>/dev/null || echo none))"; exit 1
fi

# 6. npm tools (pinned in package.json / package-lock.json): binaryen's wasm-opt, test drivers,
#    the page's vendored libraries, and express, express-session and connect-redis for the tests
#    that run the sessions lesson on the real packages. A package missing from node_modules makes
#    `npm ls` fail, so a machine set up before a package was added installs it too.
if [ ! -x node_modules/.bin/wasm-opt ] || ! npm ls --silent >/dev/null 2>&1; then
  log "npm ci"
  npm ci --silent --no-audit --no-fund
fi
log "tools ready: $(wasm-pack --version), $(wasm-bindgen --version), wasm-opt $(wasm-opt --version | head -1), $(redis-server --version | cut -d' ' -f3)"
