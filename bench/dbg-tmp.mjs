import { createClient } from './lib/clients.mjs';
import { openLoop, sleep } from './lib/measure.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';
const sim = await startSimulatorProcess({ random: { seed: 5 } });
const names = ["fetch (bare)", "axios (bare)", "axios + attachQuivo", "createQuivoFetch", "axios-retry + axios-auth-refresh", "ky (default retry)", "p-retry + fetch"];
const cs = [];
for (const n of names) { const c = await createClient(n, { url: sim.url }); await c.request('GET', '/stock'); cs.push({ n, c, res: [] }); }
await sim.setFaultRate({ fault504: 1 });
const t0 = performance.now();
const log = [];
setTimeout(async () => { log.push(['switch sent', performance.now() - t0]); await sim.setFaultRate({fault504: 0.05}); log.push(['switch acked', performance.now() - t0]); }, 2000);
await Promise.all(cs.map((x) => openLoop({ rate: 100, durationMs: 6000, startedAt: t0, send: async (i, at) => { const o = await x.c.request('GET', '/stock'); x.res.push({ at: Math.round(at), done: Math.round(performance.now() - t0), ok: o.ok }); } })));
console.log('elapsed', performance.now() - t0, log);
for (const x of cs) {
  const first = x.res.filter((r) => r.at < 2000);
  console.log(x.n, 'outage offered', first.length, 'ok', first.filter((r) => r.ok).length, 'max at', Math.max(...x.res.map((r) => r.at)), 'max done', Math.max(...x.res.map((r) => r.done)));
}
await sim.close();
