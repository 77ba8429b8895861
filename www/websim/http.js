//! An Express-4-like application that answers simulated HTTP requests inside the lesson process.
//!
//! The course's web code (`const app = express(); app.use(...); app.post('/api/login', ...)`) runs
//! unchanged on it: there is no socket, a request is a plain object handed to `app.handle()`, and
//! the response is collected from what the handlers call (`res.status(401).json(...)`).
//!
//! What it models, after Express 4: middleware mounted on a path prefix (`app.use('/api/', fn)`
//! matches `/api` and everything under it), routes with `:params` (case-insensitive, an optional
//! trailing slash), `next(err)` to the error handlers (four arguments), the default 404 and 500
//! pages, `express.json()`, and the request/response surface the course uses (`req.ip`,
//! `req.headers`, `req.body`, `res.set`, `res.status`, `res.json`, `res.cookie`,
//! `res.clearCookie`). Like Express 4, a handler whose promise rejects is *not* caught: the
//! request gets no response; the simulator reports that instead of waiting forever.
//!
//! Headers are written once: the first `end` runs the `onHeaders` listeners (the session
//! middleware sets its cookie there), then freezes the status and headers. There is no
//! connection, so no `Date`, `Connection` or `Keep-Alive` header, and no `ETag`.

const STATUS_TEXT = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found', 304: 'Not Modified',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Payload Too Large',
  415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export const statusText = (code) => STATUS_TEXT[code] ?? '';

const utf8 = new TextEncoder();

/** finalhandler's page for an error or a missing route (shown as text by the simulator). */
function errorPage(message) {
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/\n/g, '<br>').replace(/ {2}/g, ' &nbsp;');
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${escaped}</pre>\n</body>\n</html>\n`;
}

/** Express's `res.cookie` serialisation (the `cookie` package's attribute order). */
export function serializeCookie(name, value, options = {}) {
  let text = `${name}=${encodeURIComponent(value)}`;
  if (options.maxAge != null) text += `; Max-Age=${Math.floor(options.maxAge / 1000)}`;
  if (options.domain) text += `; Domain=${options.domain}`;
  if (options.path) text += `; Path=${options.path}`;
  if (options.expires) text += `; Expires=${new Date(options.expires).toUTCString()}`;
  if (options.httpOnly) text += '; HttpOnly';
  if (options.secure) text += '; Secure';
  if (options.partitioned) text += '; Partitioned';
  if (options.priority) text += `; Priority=${options.priority[0].toUpperCase()}${options.priority.slice(1).toLowerCase()}`;
  if (options.sameSite) {
    const s = options.sameSite === true ? 'Strict' : String(options.sameSite).toLowerCase();
    text += `; SameSite=${s === 'strict' ? 'Strict' : s === 'none' ? 'None' : s === 'lax' ? 'Lax' : s}`;
  }
  return text;
}

/** `a=1; b=2` into `{ a: '1', b: '2' }` (the first of a repeated name wins, like `cookie.parse`). */
export function parseCookieHeader(header) {
  const out = {};
  for (const part of String(header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!name || Object.hasOwn(out, name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Paths
// ---------------------------------------------------------------------------------------------

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A path pattern (`/api/users/:id`) as a matcher; `prefix` for `use` (matches below it too). */
function compilePath(path, prefix) {
  const keys = [];
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  const source = trimmed === '/' && prefix ? '' : trimmed.split('/').map((segment) => segment.replace(
    /:([A-Za-z0-9_]+)(\?)?|([^:]+)/g,
    (_, key, optional, literal) => {
      if (key) {
        keys.push(key);
        return optional ? '([^/]*)' : '([^/]+)';
      }
      return escapeRegex(literal.replace(/\*/g, '\u0000')).replace(/\u0000/g, '.*');
    },
  )).join('/');
  const re = new RegExp(prefix ? `^${source}(?=/|$)` : `^${source}/?$`, 'i');
  return (pathname) => {
    const m = re.exec(pathname);
    if (!m) return null;
    const params = {};
    keys.forEach((k, i) => {
      if (m[i + 1] !== undefined) params[k] = decodeURIComponent(m[i + 1]);
    });
    return { matched: m[0], params };
  };
}

function parseQuery(search) {
  const query = {};
  for (const [k, v] of new URLSearchParams(search)) {
    if (Object.hasOwn(query, k)) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  return query;
}

// ---------------------------------------------------------------------------------------------
// Request and response
// ---------------------------------------------------------------------------------------------

class Request {
  constructor(app, { method = 'GET', url = '/', headers = {}, body = '', ip = '127.0.0.1' }) {
    this.app = app;
    this.method = String(method).toUpperCase();
    this.url = url;
    this.originalUrl = url;
    this.baseUrl = '';
    this.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    this.rawBody = body;
    this.body = undefined;
    this.params = {};
    this.ip = ip;
    this.ips = [];
    this.protocol = 'http';
    this.secure = false;
    this.socket = { remoteAddress: ip, encrypted: false };
    this.connection = this.socket;
    const q = url.indexOf('?');
    this.query = parseQuery(q < 0 ? '' : url.slice(q + 1));
  }

  get path() {
    const q = this.url.indexOf('?');
    return q < 0 ? this.url : this.url.slice(0, q);
  }

  get hostname() {
    return (this.headers.host ?? 'localhost').replace(/:\d+$/, '');
  }

  get(name) {
    const key = String(name).toLowerCase();
    if (key === 'referer' || key === 'referrer') return this.headers.referer ?? this.headers.referrer;
    return this.headers[key];
  }

  header(name) {
    return this.get(name);
  }

  is(type) {
    const ct = (this.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (!ct) return false;
    return type === 'json' ? ct === 'application/json' || ct.endsWith('+json') : ct === type;
  }
}

class Response {
  constructor(req, done) {
    this.req = req;
    this.statusCode = 200;
    this.headers = new Map(); // lower-case name -> [name, value]
    this.locals = {};
    this.headersSent = false;
    this.finished = false;
    this.body = '';
    this.headerListeners = [];
    this.done = done;
  }

  status(code) {
    this.statusCode = code;
    return this;
  }

  sendStatus(code) {
    this.statusCode = code;
    return this.type('text/plain; charset=utf-8').send(statusText(code) || String(code));
  }

  setHeader(name, value) {
    if (this.headersSent) throw new Error('Cannot set headers after they are sent to the client');
    this.headers.set(String(name).toLowerCase(), [String(name), Array.isArray(value) ? value.map(String) : String(value)]);
    return this;
  }

  getHeader(name) {
    return this.headers.get(String(name).toLowerCase())?.[1];
  }

  removeHeader(name) {
    this.headers.delete(String(name).toLowerCase());
  }

  getHeaders() {
    return Object.fromEntries([...this.headers.entries()].map(([k, [, v]]) => [k, v]));
  }

  set(field, value) {
    if (field && typeof field === 'object') {
      for (const [k, v] of Object.entries(field)) this.set(k, v);
      return this;
    }
    let v = Array.isArray(value) ? value.map(String) : String(value);
    if (String(field).toLowerCase() === 'content-type' && !/;\s*charset/i.test(v) && /^text\/|json|javascript/.test(v)) {
      v += '; charset=utf-8';
    }
    return this.setHeader(field, v);
  }

  header(field, value) {
    return this.set(field, value);
  }

  get(field) {
    return this.getHeader(field);
  }

  type(value) {
    const full = value.includes('/') ? value : { json: 'application/json', html: 'text/html', text: 'text/plain' }[value] ?? value;
    return this.set('Content-Type', full);
  }

  append(field, value) {
    const prev = this.getHeader(field);
    const next = prev === undefined ? value : [].concat(prev, value);
    return this.setHeader(field, next);
  }

  cookie(name, value, options = {}) {
    const opts = { path: '/', ...options };
    const text = typeof value === 'object' ? `j:${JSON.stringify(value)}` : String(value);
    if (opts.maxAge != null) {
      opts.expires = new Date(this.req.app.now() + opts.maxAge);
    }
    return this.append('Set-Cookie', serializeCookie(name, text, opts));
  }

  clearCookie(name, options = {}) {
    return this.cookie(name, '', { expires: new Date(1), path: '/', ...options, maxAge: undefined });
  }

  json(value) {
    const body = JSON.stringify(value);
    if (!this.getHeader('content-type')) this.set('Content-Type', 'application/json');
    return this.send(body ?? '');
  }

  send(body) {
    let text = body;
    if (body === null || body === undefined) text = '';
    else if (typeof body === 'object') return this.json(body);
    else if (typeof body === 'number' || typeof body === 'boolean') return this.json(body);
    if (!this.getHeader('content-type')) this.set('Content-Type', 'text/html');
    text = String(text);
    this.setHeader('Content-Length', String(utf8.encode(text).length));
    this.end(text);
    return this;
  }

  redirect(url) {
    this.statusCode = 302;
    this.setHeader('Location', url);
    return this.type('text/plain').send(`Found. Redirecting to ${url}`);
  }

  /** Runs the `onHeaders` listeners once and freezes the status and headers. */
  writeHead() {
    if (this.headersSent) return;
    for (const fn of this.headerListeners.splice(0)) fn.call(this);
    this.headersSent = true;
  }

  end(chunk) {
    if (this.finished) return this;
    this.writeHead();
    if (chunk !== undefined && chunk !== null) this.body += String(chunk);
    this.finished = true;
    this.done(this);
    return this;
  }
}

/** Registers `fn` to run just before the response's headers are written (like `on-headers`). */
export function onHeaders(res, fn) {
  res.headerListeners.push(fn);
}

// ---------------------------------------------------------------------------------------------
// The application
// ---------------------------------------------------------------------------------------------

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'options', 'head'];

export function createExpress(context) {
  function express() {
    const layers = [];
    const settings = { env: context.env?.NODE_ENV ?? 'development', 'x-powered-by': true };
    const app = {
      now: () => context.now(),
      locals: {},
      settings,
      set(name, value) {
        if (value === undefined) return settings[name];
        settings[name] = value;
        return app;
      },
      get(path, ...handlers) {
        if (handlers.length === 0) return settings[path];
        return app.route('get', path, handlers);
      },
      enable(name) { settings[name] = true; return app; },
      disable(name) { settings[name] = false; return app; },
      use(...args) {
        const path = typeof args[0] === 'string' ? args.shift() : '/';
        for (const fn of args.flat()) {
          if (typeof fn !== 'function') throw new TypeError('app.use() requires a middleware function');
          layers.push({ match: compilePath(path, true), fn, use: true });
        }
        return app;
      },
      all(path, ...handlers) { return app.route(null, path, handlers); },
      route(method, path, handlers) {
        const match = compilePath(path, false);
        for (const fn of handlers.flat()) layers.push({ match, fn, method, use: false });
        return app;
      },
      listen(port, ...rest) {
        const callback = rest.find((a) => typeof a === 'function');
        context.listen?.(app, port);
        const server = {
          address: () => ({ address: '127.0.0.1', family: 'IPv4', port: Number(port) || 3000 }),
          close: (cb) => { cb?.(); return server; },
          on: () => server,
          once: () => server,
        };
        if (callback) Promise.resolve().then(callback);
        return server;
      },
      /** Sends one request through the app: resolves with its response, or `noResponse`. */
      handle(request) {
        return new Promise((resolve) => {
          const req = new Request(app, request);
          let settled = false;
          const finish = (value) => {
            if (settled) return;
            settled = true;
            resolve(value);
          };
          const res = new Response(req, (r) => finish({ response: r }));
          req.res = res;
          res.req = req;
          if (settings['x-powered-by']) res.setHeader('X-Powered-By', 'Express');
          const fail = (error) => finish({ noResponse: true, error });
          dispatch(req, res, fail).catch(fail);
        });
      },
    };
    for (const m of METHODS.filter((x) => x !== 'get')) app[m] = (path, ...handlers) => app.route(m, path, handlers);
    app.del = app.delete;

    async function dispatch(req, res, fail) {
      let index = 0;
      const path = req.path;
      const next = (err) => {
        if (res.finished) return;
        while (index < layers.length) {
          const layer = layers[index++];
          if (!layer.use && layer.method && layer.method !== req.method.toLowerCase()
            && !(layer.method === 'get' && req.method === 'HEAD')) continue;
          const m = layer.match(path);
          if (!m) continue;
          const arity = layer.fn.length;
          if (err !== undefined && err !== null && err !== 'route' ? arity !== 4 : arity === 4) continue;
          req.params = m.params;
          req.baseUrl = layer.use ? m.matched : '';
          let result;
          try {
            result = err !== undefined && err !== null && err !== 'route'
              ? layer.fn(err, req, res, next) : layer.fn(req, res, next);
          } catch (e) {
            next(e);
            return;
          }
          // Express 4 does not catch a rejected promise: the request is left without a response.
          if (result && typeof result.then === 'function') {
            result.then(null, (e) => {
              context.unhandled?.(e);
              fail(e);
            });
          }
          return;
        }
        finalHandler(req, res, err);
      };
      next();
    }

    function finalHandler(req, res, err) {
      if (res.headersSent) return;
      if (err !== undefined && err !== null && err !== 'route') {
        const status = Number(err.status ?? err.statusCode) >= 400 ? Number(err.status ?? err.statusCode) : 500;
        const production = settings.env === 'production';
        const message = production ? statusText(status) : String(err.stack ?? err);
        if (!production) context.logError?.(err);
        res.statusCode = status;
        res.headers.clear();
        res.setHeader('Content-Security-Policy', "default-src 'none'");
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Content-Type', 'text/html; charset=utf-8');
        const page = errorPage(message);
        res.setHeader('Content-Length', String(utf8.encode(page).length));
        res.end(page);
        return;
      }
      res.statusCode = 404;
      res.setHeader('Content-Security-Policy', "default-src 'none'");
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      const page = errorPage(`Cannot ${req.method} ${req.path}`);
      res.setHeader('Content-Length', String(utf8.encode(page).length));
      res.end(page);
    }

    context.created?.(app);
    return app;
  }

  /** `express.json()`: parses a JSON body (sets `req.body` to `{}` when there is none). */
  express.json = (options = {}) => function jsonParser(req, res, next) {
    if (req._body) return next();
    req.body = req.body || {};
    if (!req.is(options.type ?? 'json') || !req.rawBody) return next();
    const text = String(req.rawBody);
    req._body = true;
    const first = text.trimStart()[0];
    if (options.strict !== false && first !== '{' && first !== '[') {
      const error = new SyntaxError(`Unexpected token ${first} in JSON at position 0`);
      error.status = 400;
      error.type = 'entity.parse.failed';
      return next(error);
    }
    try {
      req.body = JSON.parse(text);
    } catch (e) {
      const error = new SyntaxError(e.message);
      error.status = 400;
      error.type = 'entity.parse.failed';
      return next(error);
    }
    return next();
  };
  /** `express.urlencoded()`: parses a form body. */
  express.urlencoded = () => function urlencodedParser(req, res, next) {
    req.body = req.body || {};
    if (req.is('application/x-www-form-urlencoded') && req.rawBody) {
      req.body = Object.fromEntries(new URLSearchParams(String(req.rawBody)));
    }
    next();
  };
  return express;
}
