// The request simulator's API (`createBrowser(app)`, as www/websim/browser.js gives it to the
// lesson code in the page) over real HTTP: the app listens on a free loopback port and each
// request is a real `fetch`, with the same cookie jar (www/websim/browser.js's CookieJar).
import { CookieJar } from '../../../www/websim/browser.js';

export function createHttpBrowser({ now = () => Date.now() } = {}) {
  const servers = [];
  function createBrowser(app) {
    const jar = new CookieJar(now);
    let base = null;
    const ready = new Promise((resolve, reject) => {
      const server = app.listen(0, '127.0.0.1', () => {
        base = `http://127.0.0.1:${server.address().port}`;
        resolve();
      });
      server.on('error', reject);
      servers.push(server);
    });
    async function request({ method = 'GET', path = '/', body, headers = {} } = {}) {
      await ready;
      const h = { ...headers };
      const cookie = jar.header(path.split('?')[0]);
      if (cookie && h.cookie === undefined) h.cookie = cookie;
      let raw;
      if (body !== undefined && body !== null) {
        if (typeof body === 'string') raw = body;
        else {
          raw = JSON.stringify(body);
          h['content-type'] ??= 'application/json';
        }
      }
      const res = await fetch(`${base}${path}`, { method, headers: h, body: raw, redirect: 'manual' });
      const text = await res.text();
      const out = {};
      for (const [k, v] of res.headers) if (k !== 'set-cookie') out[k] = v;
      const setCookies = res.headers.getSetCookie();
      if (setCookies.length) out['set-cookie'] = setCookies;
      jar.store(setCookies);
      let parsed = text;
      if (/json/.test(res.headers.get('content-type') ?? '')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      return { status: res.status, statusText: res.statusText, headers: out, body: parsed, text };
    }
    return {
      app,
      request,
      get: (path, options = {}) => request({ ...options, method: 'GET', path }),
      post: (path, body, options = {}) => request({ ...options, method: 'POST', path, body }),
      cookies: () => jar.list().map(({ name, value, expires, path, httpOnly, sameSite }) => ({
        name, value, expires: expires === undefined ? 'session' : new Date(expires).toISOString(), path, httpOnly, sameSite,
      })),
      clearCookies: () => jar.clear(),
    };
  }
  return {
    createBrowser,
    close: () => Promise.all(servers.map((s) => new Promise((resolve) => { s.closeAllConnections?.(); s.close(() => resolve()); }))),
  };
}
