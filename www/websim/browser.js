//! The request simulator: a "browser" that sends requests to a simulated Express app and keeps
//! its cookies, as a real browser would for one site.
//!
//! `createBrowser(app, { ip })` gives an object with `get(path)`, `post(path, body)`,
//! `request({ method, path, body, headers })`, `cookies()` and `clearCookies()`. A request body
//! that is an object is sent as JSON (`Content-Type: application/json`). The response is
//! `{ status, statusText, headers, body, text }`: `headers` with lower-case names (`set-cookie`
//! a list), `body` parsed when the response is JSON.
//!
//! The jar stores each `Set-Cookie` by name, drops a cookie whose `Expires` has passed on the
//! context's clock (the engine's virtual clock in the page) or whose `Max-Age` is 0, and sends
//! the rest back in a `Cookie` header.

import { statusText } from './http.js';

/** One `Set-Cookie` header as `{ name, value, expires, maxAge, path, httpOnly, secure, sameSite }`. */
export function parseSetCookie(text) {
  const [pair, ...attrs] = String(text).split(';');
  const eq = pair.indexOf('=');
  const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: '/', httpOnly: false, secure: false };
  for (const attr of attrs) {
    const [k, ...rest] = attr.split('=');
    const key = k.trim().toLowerCase();
    const value = rest.join('=').trim();
    if (key === 'expires') cookie.expires = Date.parse(value);
    else if (key === 'max-age') cookie.maxAge = Number(value);
    else if (key === 'path') cookie.path = value;
    else if (key === 'domain') cookie.domain = value;
    else if (key === 'httponly') cookie.httpOnly = true;
    else if (key === 'secure') cookie.secure = true;
    else if (key === 'samesite') cookie.sameSite = value;
  }
  return cookie;
}

export class CookieJar {
  constructor(now) {
    this.now = now;
    this.jar = new Map();
  }

  store(setCookies, received = this.now()) {
    for (const text of [].concat(setCookies ?? [])) {
      const c = parseSetCookie(text);
      if (!c.name) continue;
      if (c.maxAge !== undefined) c.expires = received + c.maxAge * 1000;
      if (c.expires !== undefined && !(c.expires > received)) this.jar.delete(c.name);
      else this.jar.set(c.name, c);
    }
  }

  /** The cookies still alive on the clock (expired ones are dropped). */
  list() {
    const t = this.now();
    for (const [name, c] of this.jar) if (c.expires !== undefined && !(c.expires > t)) this.jar.delete(name);
    return [...this.jar.values()].map((c) => ({ ...c }));
  }

  header(path) {
    const cookies = this.list().filter((c) => path.startsWith(c.path || '/'));
    return cookies.length ? cookies.map((c) => `${c.name}=${c.value}`).join('; ') : undefined;
  }

  clear() {
    this.jar.clear();
  }
}

/** How long a request may go without an answer before the simulator says so (real time). */
const NO_RESPONSE_MS = 15000;

export function createBrowserModule(context) {
  function createBrowser(app, { ip = '127.0.0.1' } = {}) {
    if (!app || typeof app.handle !== 'function') throw new TypeError('createBrowser(app) needs the Express app');
    context.attached?.(app);
    const jar = new CookieJar(() => context.now());

    async function request(options = {}) {
      // The code line that sent the request, for the commands made on its behalf.
      const line = context.callerLine?.() ?? null;
      context.enter?.(line);
      try {
        return await send(options);
      } finally {
        context.leave?.(line);
      }
    }

    async function send({ method = 'GET', path = '/', body, headers = {} } = {}) {
      const h = { host: 'localhost:3000', ...headers };
      const cookie = jar.header(path.split('?')[0]);
      if (cookie && h.cookie === undefined) h.cookie = cookie;
      let raw = '';
      if (body !== undefined && body !== null) {
        if (typeof body === 'string') raw = body;
        else {
          raw = JSON.stringify(body);
          h['content-type'] ??= 'application/json';
        }
      }
      // Timer functions are called unbound: a browser refuses them with another `this`.
      const { setTimeout: startTimer, clearTimeout: stopTimer } = context;
      let timer = null;
      const timeout = new Promise((resolve) => {
        timer = startTimer(() => resolve({ noResponse: true, error: null }), NO_RESPONSE_MS);
      });
      const outcome = await Promise.race([app.handle({ method, url: path, headers: h, body: raw, ip }), timeout]);
      stopTimer(timer);
      if (outcome.noResponse) {
        const why = outcome.error ? `${outcome.error.name ?? 'Error'}: ${outcome.error.message ?? outcome.error}` : 'nothing answered';
        const error = new Error(`socket hang up (the app sent no response: ${why})`);
        error.code = 'ECONNRESET';
        throw error;
      }
      const res = outcome.response;
      const headersOut = {};
      for (const [name, [, value]] of res.headers) headersOut[name] = name === 'set-cookie' ? [].concat(value) : value;
      jar.store(res.getHeader('set-cookie'));
      const type = String(res.getHeader('content-type') ?? '');
      let parsed = res.body;
      if (/json/.test(type)) {
        try {
          parsed = JSON.parse(res.body);
        } catch {
          parsed = res.body;
        }
      }
      return { status: res.statusCode, statusText: statusText(res.statusCode), headers: headersOut, body: parsed, text: res.body };
    }

    return {
      app,
      ip,
      request,
      get: (path, options = {}) => request({ ...options, method: 'GET', path }),
      post: (path, body, options = {}) => request({ ...options, method: 'POST', path, body }),
      put: (path, body, options = {}) => request({ ...options, method: 'PUT', path, body }),
      delete: (path, options = {}) => request({ ...options, method: 'DELETE', path }),
      cookies: () => jar.list().map(({ name, value, expires, path, httpOnly, sameSite }) => ({
        name, value, expires: expires === undefined ? 'session' : new Date(expires).toISOString(), path, httpOnly, sameSite,
      })),
      clearCookies: () => jar.clear(),
    };
  }
  return { createBrowser };
}
