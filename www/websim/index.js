//! The simulated web stack of the lesson process: what the course's web code `require`s, and the
//! lesson process's end of the request panels (./panels.js).
//!
//! `createWebsim(context)` gives:
//! - `modules`: `express` (./http.js), `express-session` (./session.js), `connect-redis`
//!   (./connect-redis.js) and `./browser` (the request simulator, ./browser.js), each built on the
//!   context's clock (`now()`: the engine's virtual clock in the page);
//! - `handle(message)`: the panels' requests, sent to the app the code last gave to
//!   `createBrowser` (or, failing that, the last app it created), through that browser, so the
//!   panel shares the code's cookie jar. `simulate` sends a pattern of requests over virtual time
//!   (one, a burst, a steady rate, or a burst on each side of a window boundary), moving the
//!   engine's clock itself (frozen meanwhile), and times each from the first;
//! - `line()`: the code line of the request under way, for commands that the web stack (not the
//!   lesson's own code) sends on its behalf, such as the session store's GET and SET;
//! - `capturing()` / `sent()` / `replied()`: while a panel request runs, the commands the app
//!   sends are not steps of the lesson: the lesson process lets them through and reports them here,
//!   so each response is shown with the Redis commands it cost.

import { createExpress } from './http.js';
import { createSessionModule } from './session.js';
import { createConnectRedis } from './connect-redis.js';
import { createBrowserModule } from './browser.js';

const MAX_REQUESTS = 1000;

export function createWebsim(context) {
  let lastApp = null;
  let target = null; // { app, browser }
  const panelBrowsers = new Map(); // ip -> browser of the panel (when the code made none)
  let capture = null;
  const inflight = []; // code lines of the requests under way

  const base = {
    now: () => context.now(),
    env: context.env,
    setTimeout: context.setTimeout,
    clearTimeout: context.clearTimeout,
    logError: (e) => context.logError?.(e),
    unhandled: (e) => context.logError?.(e),
    created: (app) => { lastApp = app; },
  };
  const express = createExpress(base);
  const session = createSessionModule(base);
  const connectRedis = createConnectRedis(base, session);
  const browserModule = createBrowserModule({
    ...base,
    attached: (app) => { target = { app, browser: null }; },
    callerLine: () => context.callerLine?.() ?? null,
    enter: (line) => inflight.push(line),
    leave: (line) => {
      const i = inflight.lastIndexOf(line);
      if (i >= 0) inflight.splice(i, 1);
    },
  });
  const createBrowser = (app, options) => {
    const browser = browserModule.createBrowser(app, options);
    if (target?.app === app && !target.browser) target.browser = browser;
    return browser;
  };

  const modules = {
    express,
    'express-session': session,
    'connect-redis': connectRedis,
    './browser': { createBrowser },
  };

  function browserFor(ip) {
    const app = target?.app ?? lastApp;
    if (!app) throw new Error('the code has not created an Express app yet: run it first');
    if (target?.browser && target.app === app && (!ip || ip === target.browser.ip)) return target.browser;
    const key = ip || '127.0.0.1';
    let b = panelBrowsers.get(key);
    if (!b || b.app !== app) {
      b = browserModule.createBrowser(app, { ip: key });
      panelBrowsers.set(key, b);
    }
    return b;
  }

  /** One request from a panel, with the commands it sent. */
  async function send(browser, { method, path, body }) {
    capture = { commands: [] };
    const at = context.now();
    try {
      const res = await browser.request({ method, path: String(path || '/'), body: body === '' ? undefined : body });
      return {
        at, status: res.status, statusText: res.statusText, headers: res.headers, body: res.text, commands: capture.commands,
      };
    } catch (e) {
      return { at, error: `${e.name}: ${e.message}`, commands: capture?.commands ?? [] };
    } finally {
      capture = null;
    }
  }

  function parseBody(body) {
    if (typeof body !== 'string' || body.trim() === '') return undefined;
    try {
      return JSON.parse(body);
    } catch {
      return body;
    }
  }

  async function simulate({ method = 'GET', path, pattern = 'one', count = 1, intervalMs = 1000, window: windowS = 10, ip, body }) {
    const n = Math.max(1, Math.min(MAX_REQUESTS, Math.floor(Number(count)) || 1));
    const browser = browserFor(ip);
    const results = [];
    const frozen = context.clock.isFrozen();
    context.clock.freeze();
    let t0 = null; // the time of the first request: results are timed from it
    const one = async () => {
      const r = await send(browser, { method, path, body: parseBody(body) });
      t0 ??= r.at;
      results.push({
        t: r.at - t0, status: r.status ?? null, error: r.error ?? null,
        limit: r.headers?.['x-ratelimit-limit'] ?? null,
        remaining: r.headers?.['x-ratelimit-remaining'] ?? null,
        reset: r.headers?.['x-ratelimit-reset'] ?? null,
        commands: r.commands.length,
      });
    };
    try {
      if (pattern === 'boundary') {
        // n requests just before a window boundary, n just after it.
        const w = Math.max(1, Number(windowS) || 10) * 1000;
        const boundary = Math.floor(context.now() / w) * w + w;
        context.clock.set(boundary - 500);
        for (let i = 0; i < n; i++) await one();
        context.clock.set(boundary + 500);
        for (let i = 0; i < n; i++) await one();
      } else if (pattern === 'steady') {
        const step = Math.max(1, Number(intervalMs) || 1000);
        for (let i = 0; i < n; i++) {
          if (i > 0) context.clock.advance(step);
          await one();
        }
      } else {
        for (let i = 0; i < (pattern === 'burst' ? n : 1); i++) await one();
      }
    } finally {
      if (!frozen) context.clock.resume();
    }
    return { path, pattern, start: t0, results };
  }

  async function handle(message) {
    context.ready();
    if (message.op === 'request') {
      const browser = browserFor(message.ip);
      const r = await send(browser, { method: message.method, path: message.path, body: parseBody(message.body) });
      return { ...r, cookies: browser.cookies() };
    }
    if (message.op === 'cookies') {
      return { cookies: target?.app || lastApp ? browserFor(message.ip).cookies() : [] };
    }
    if (message.op === 'clear-cookies') {
      browserFor(message.ip).clearCookies();
      return { cookies: [] };
    }
    if (message.op === 'simulate') return simulate(message);
    throw new Error(`unknown panel operation ${message.op}`);
  }

  return {
    modules,
    handle,
    capturing: () => capture !== null,
    /** The code line of the request under way (commands made by the web stack belong to it). */
    line: () => inflight.at(-1) ?? null,
    sent(argv) { capture?.commands.push({ argv: argv.map(String), reply: null }); },
    replied(argv, text) {
      const c = capture?.commands.find((x) => x.reply === null && x.argv.length === argv.length && x.argv.every((a, i) => a === String(argv[i])));
      if (c) c.reply = text;
    },
  };
}
