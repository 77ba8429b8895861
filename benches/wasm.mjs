// Throughput of the release WebAssembly build (www/pkg, as served) in Node, through the four
// doors of the JavaScript API: call (separate strings), exec (an array), execLine (text in,
// redis-cli text out) and the byte-buffer door (`Door` of www/playground.js over `execRequest`:
// the argv written into the module's memory, the reply read back from it). Build first (scripts/serve.sh or scripts/test.sh does), then:
//
//   node benches/wasm.mjs            # 300,000 commands per workload and door, best of 3
//   node benches/wasm.mjs 100000
//
// Each door gets a fresh playground and a warm-up run before the timed ones.
import { loadPlayground } from '../tests/node/load.mjs';
import { Door } from '../www/playground.js';

const { Playground } = await loadPlayground();
const count = Number(process.argv[2] ?? 300_000);
const KEYS = 10_000;
const ROUNDS = 3; // best of


const range = (n) => Array.from({ length: n }, (_, i) => i);
const sets = range(KEYS).map((i) => ['SET', `key:${i}`, 'some value']);
const gets = range(KEYS).map((i) => ['GET', `key:${i}`]);
const incrs = range(KEYS).map((i) => ['INCR', `counter:${i}`]);
const hsets = range(KEYS).map((i) => ['HSET', `hash:${i % 100}`, `field:${i}`, 'v']);
const hgets = range(KEYS).map((i) => ['HGET', `hash:${i % 100}`, `field:${i}`]);
const mixed = range(KEYS / 10).flatMap((i) => {
  const k = `user:${i}`;
  return [
    ['SET', k, 'alice'], ['GET', k], ['INCR', 'visits'], ['INCRBY', 'points', '5'], ['EXISTS', k],
    ['EXPIRE', k, '3600'], ['TTL', k], ['STRLEN', k], ['DEL', k], ['GET', k],
  ];
});
const workloads = [
  { name: 'PING', setup: [], script: [['PING']] },
  { name: 'SET', setup: [], script: sets },
  { name: 'GET', setup: sets, script: gets },
  { name: 'INCR', setup: [], script: incrs },
  { name: 'mixed (10-command script)', setup: [], script: mixed },
  { name: 'HSET', setup: [], script: hsets },
  { name: 'HGET', setup: hsets, script: hgets },
];

const doors = {
  call: (pg, c, argv) => pg.call(c, ...argv),
  exec: (pg, c, argv) => pg.exec(c, argv),
  execLine: (pg, c, argv, line) => pg.execLine(c, line),
  door: (pg, c, argv) => pg.door.exec(c, argv),
};
const isError = (r) => r !== null && typeof r === 'object' && 'error' in r;

console.log('| workload | door | commands | seconds | commands/s |');
console.log('|---|---|---:|---:|---:|');
for (const w of workloads) {
  // One checked pass: a workload is timed only if every command of it succeeds.
  const probe = new Playground();
  const pc = probe.openClient('probe');
  for (const argv of w.setup) probe.exec(pc, argv);
  const failed = w.script.map((argv) => probe.exec(pc, argv)).find(isError);
  probe.free();
  if (failed !== undefined) {
    console.log(`| ${w.name} | - | - | - | unavailable: ${failed.error} |`);
    continue;
  }
  const lines = w.script.map((argv) => argv.join(' '));
  for (const [door, run] of Object.entries(doors)) {
    const pg = new Playground();
    pg.door = new Door(pg);
    const c = pg.openClient('bench');
    for (const argv of w.setup) pg.exec(c, argv);
    const timed = (n) => {
      const start = process.hrtime.bigint();
      let done = 0;
      while (done < n) {
        for (let i = 0; i < w.script.length; i++) run(pg, c, w.script[i], lines[i]);
        done += w.script.length;
      }
      return { done, secs: Number(process.hrtime.bigint() - start) / 1e9 };
    };
    timed(count / 3); // warm-up: lets V8 tier the module and this door's JS up first
    let best = null;
    for (let round = 0; round < ROUNDS; round++) {
      const r = timed(count);
      if (best === null || r.secs < best.secs) best = r;
    }
    console.log(`| ${w.name} | ${door} | ${best.done} | ${best.secs.toFixed(3)} | ${Math.round(best.done / best.secs)} |`);
    pg.free();
  }
}
