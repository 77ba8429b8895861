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
  // The lesson the page will most likely open (the one the address names, else the first) is
  // fetched as soon as the list names it; the others wait until the page is ready (app.js), so
  // that they do not hold up the page's own files (a browser opens few connections to one host).
  const wanted = /^#([^/]+)/.exec(window.location.hash)?.[1];
  early.lessonFiles = early.lessons.then((index) => {
    const entry = index.lessons.find((e) => e.id === wanted) ?? index.lessons[0];
    const file = json(`./lessons/${entry.file}`);
    file.catch(() => {});
    return { [entry.id]: file };
  });
  early.lessons.catch(() => {});
  early.lessonFiles.catch(() => {});
  // The saved state (IndexedDB, through persist.js): opening the database is slow on a first
  // visit, when it has to be created.
  early.saved = import('./persist.js').then((persist) => persist.load());
  early.saved.catch(() => {});
  window.playgroundBoot = early;
})();
