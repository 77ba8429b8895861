// Loads the release build the page serves (www/pkg, built by scripts/test.sh exactly as
// scripts/serve.sh builds it) into Node, without a browser.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const pkgDir = fileURLToPath(new URL('../../www/pkg/', import.meta.url));

export async function loadPlayground() {
  const mod = await import(new URL('redis_playground.js', `file://${pkgDir}`).href);
  mod.initSync({ module: readFileSync(`${pkgDir}redis_playground_bg.wasm`) });
  return mod;
}
