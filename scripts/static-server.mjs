// A tiny static file server for the playground page: GET/HEAD only, files under one root folder,
// the right MIME type for .wasm (browsers refuse to stream-compile anything else). Every file is
// revalidated on every use (`Cache-Control: no-cache` with an ETag from its size and mtime): an
// edit shows up on the next load, and an unchanged file costs a 304, which also lets the browser
// reuse the machine code it compiled from the WebAssembly module last time.
//
//   node scripts/static-server.mjs [root] [host] [port]     (port 0 picks a free port)
//
// Also importable: `const { url, close } = await startServer({ root, host, port })`.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

export async function startServer({ root = 'www', host = '127.0.0.1', port = 8080 } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const send = (status, body, type = 'text/plain; charset=utf-8', extra = {}) => {
      res.writeHead(status, {
        'Content-Type': type, 'Cache-Control': status === 200 || status === 304 ? 'no-cache' : 'no-store',
        'X-Content-Type-Options': 'nosniff', ...extra,
      });
      res.end(req.method === 'HEAD' || status === 304 ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed\n');
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      return send(400, 'bad request\n');
    }
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(base, path));
    if (file !== base && !file.startsWith(base + sep)) return send(403, 'forbidden\n');
    try {
      const info = await stat(file);
      if (!info.isFile()) return send(404, 'not found\n');
      const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
      const type = MIME[extname(file)] ?? 'application/octet-stream';
      if (req.headers['if-none-match'] === etag) return send(304, null, type, { ETag: etag });
      send(200, await readFile(file), type, { ETag: etag });
    } catch {
      send(404, 'not found\n');
    }
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  const addr = server.address();
  return {
    url: `http://${host}:${addr.port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [root = 'www', host = '127.0.0.1', port = '8080'] = process.argv.slice(2);
  try {
    const { url } = await startServer({ root, host, port: Number(port) });
    console.log(`redis-playground is served at ${url}  (Ctrl+C to stop)`);
  } catch (e) {
    console.error(`cannot serve ${root} on ${host}:${port}: ${e.message}`);
    process.exit(1);
  }
}
