// A real redis-server 7.0.15 for the tests that compare with it: on a free loopback port, with
// no persistence, started by the test itself and stopped with `proc.kill()`.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createClient } from 'redis';

/** A loopback port nobody listens on (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A real redis-server on a free loopback port: resolves with `{ port, proc }` once it answers. */
export async function startRedis() {
  const port = await freePort();
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 500; i++) {
    const c = createClient({ url: `redis://127.0.0.1:${port}` });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.quit();
      return { port, proc };
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  proc.kill();
  throw new Error('redis-server did not start');
}
