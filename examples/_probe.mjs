import { createQuivoPolicy } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import { startQuivoSimulator, SIMULATOR_DEFAULTS } from '@quivo-resilience/simulator';
const sim = await startQuivoSimulator({ throttle: { rate: 100, burst: 10 } });
const policy = createQuivoPolicy({ baseURL: sim.url, apiKey: SIMULATOR_DEFAULTS.apiKey, credentials: SIMULATOR_DEFAULTS.user });
const t0 = performance.now();
policy.onThrottle(({ previousRate, rate }) => console.log(`${(performance.now()-t0).toFixed(0)} ms throttle: ${previousRate.toFixed(1)} -> ${rate.toFixed(1)}`));
const f = createQuivoFetch(policy);
await f(sim.url + '/stock'); // login
let done = 0; let next = 0; const N = 600;
const tick = setInterval(() => console.log(`${(performance.now()-t0).toFixed(0)} ms: ${done} done, 429s ${sim.stats().throttled}`), 1000);
await Promise.all(Array.from({ length: 16 }, async () => { while (next++ < N) { await f(sim.url + '/stock'); done++; } }));
clearInterval(tick);
console.log(`${N} requests in ${((performance.now()-t0)/1000).toFixed(1)} s, 429s ${sim.stats().throttled}`);
await sim.close();
