// Starts the slow parts of the page while the HTML is still being parsed (a classic script in
// <head> runs before the modules): the lesson process (worker.js and its modules), the engine's
// WebAssembly compile, and the lesson list. app.js adopts them; if this script did not run, it
// starts them itself.
'use strict';
(() => {
  const early = {};
  try {
    early.worker = new Worker('./worker.js', { type: 'module', name: 'lesson' });
  } catch {
    // app.js starts one.
  }
  early.engine = WebAssembly.compileStreaming(fetch('./pkg/redis_playground_bg.wasm'));
  early.engine.catch(() => {});
  early.lessons = fetch('./lessons/index.json').then((r) => r.json());
  early.lessons.catch(() => {});
  window.playgroundBoot = early;
})();
