import { createQuivoPolicy } from '@quivo-resilience/core';
const hold = setInterval(() => {}, 60000);
import { setTimeout as sleep } from 'node:timers/promises';
const request = { method: 'GET', url: 'http://q.invalid/' };
const send = async () => ({ status: 200, headers: {}, value: null });
const pols = { off: createQuivoPolicy({ rateLimit: false }), adaptive: createQuivoPolicy({}), conf: createQuivoPolicy({ rateLimit: { requestsPerSecond: 1000, burst: 10 } }), conf100: createQuivoPolicy({ rateLimit: { requestsPerSecond: 100, burst: 10 } }) };
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
for (const [k, p] of Object.entries(pols)) for (let i = 0; i < 300; i++) { await p.execute(request, send); await sleep(1); }
for (let round = 0; round < 3; round++) {
  const out = {};
  for (const [k, p] of Object.entries(pols)) {
    const t = [];
    for (let i = 0; i < 300; i++) { await sleep(k === 'conf100' ? 12 : 2); const t0 = performance.now(); await p.execute(request, send); t.push(performance.now() - t0); }
    out[k] = (med(t) * 1000).toFixed(1) + 'µs';
  }
  console.log(out);
}
clearInterval(hold);
