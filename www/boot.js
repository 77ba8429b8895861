// Starts the slow parts of the page while the HTML is still being parsed (a classic script in
// <head> runs before the modules): the lesson process (worker.js and its modules), the engine's
// WebAssembly compile, the lesson list and the saved state. As soon as the module is compiled,
// the lesson process gets it and instantiates the engine while the page's own modules are still
// loading. app.js adopts all of it; if this script did not run, it starts them itself.
'use strict';
(() => {
  const early = {};
  try {
    early.worker = new Worker('./worker.js', { type: 'module', name: 'lesson' });
  } catch {
    // app.js starts one.
  }
  early.engine = WebAssembly.compileStreaming(fetch('./pkg/redis_playground_bg.wasm'));
  const worker = early.worker;
  early.engine.then((module) => worker?.postMessage({ type: 'prepare', module }), () => {});
  const json = (url) => fetch(url).then((r) => {
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
  });
  early.lessons = json('./lessons/index.json');
  // Every lesson file, fetched as soon as the list names them (by lesson id); the page waits only
  // for the one it opens.
  early.lessonFiles = early.lessons.then((index) => Object.fromEntries(index.lessons.map((entry) => {
    const file = json(`./lessons/${entry.file}`);
    file.catch(() => {});
    return [entry.id, file];
  })));
  early.lessons.catch(() => {});
  early.lessonFiles.catch(() => {});
  // The saved state (IndexedDB, through persist.js): opening the database is slow on a first
  // visit, when it has to be created.
  early.saved = import('./persist.js').then((persist) => persist.load());
  early.saved.catch(() => {});
  window.playgroundBoot = early;
})();
