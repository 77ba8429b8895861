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
  const json = (url) => fetch(url).then((r) => {
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
  });
  early.lessons = json('./lessons/index.json');
  // Every lesson file, fetched as soon as the list names them.
  early.lessonFiles = early.lessons.then((index) => index.lessons.map((file) => json(`./lessons/${file}`)));
  early.lessons.catch(() => {});
  early.lessonFiles.then((files) => files.forEach((f) => f.catch(() => {})), () => {});
  window.playgroundBoot = early;
})();
