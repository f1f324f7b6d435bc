// Run with --expose-gc: sends `total` requests through one alternative at a fixed concurrency
// and records heapUsed after a full GC every `every` requests. Prints one JSON line.
import { createClient } from './clients.mjs';
import { closedLoop } from './measure.mjs';

const [name, url, total, every, concurrency] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6])];
if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');

function heapAfterGc() {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

const client = await createClient(name, { url });
const send = () => client.request('GET', '/stock');
// Warm-up: login, JIT, keep-alive sockets.
await closedLoop({ total: 2000, concurrency, send });
const samples = [{ requests: 0, heapUsed: heapAfterGc() }];
let failures = 0;
const started = performance.now();
for (let done = 0; done < total; done += every) {
  const { outcomes } = await closedLoop({ total: every, concurrency, send });
  failures += outcomes.filter((o) => !o.ok).length;
  samples.push({ requests: done + every, heapUsed: heapAfterGc() });
}
const elapsedMs = performance.now() - started;
console.log(JSON.stringify({ name, samples, failures, elapsedMs, rss: process.memoryUsage().rss }));
