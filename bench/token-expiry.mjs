// Benchmark 5: the session token expires while requests are in flight. Three clients of one
// app share the token (ours: two axios instances and a fetch wrapper on one policy; today's
// way: axios-auth-refresh on two axios instances and ky's documented afterResponse refresh,
// sharing a token variable). N closed-loop workers keep requests in flight (each answered
// after a 200 ms latency fault); sim.expireTokens() is called mid-run; every request sent
// after that carries an expired token. Logins are counted by the simulator.
import { createClient, createPolicy, createTokenStore } from './lib/clients.mjs';
import { fmt, interleave, median, percentile, QUICK, sleep } from './lib/measure.mjs';
import { beginBenchmark, SIMULATOR_IN_CHILD } from './lib/report.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const REQUEST_LATENCY_MS = 200;
const LOGIN_LATENCY_MS = 100;
const IN_FLIGHT = [10, 100];
const ROUNDS = QUICK ? 1 : 3;
const EXPIRE_AFTER_MS = 500;
const RUN_AFTER_EXPIRY_MS = 1000;
/** Latency is compared over requests started in this window around the expiry. */
const WINDOW = { beforeMs: REQUEST_LATENCY_MS + 50, afterMs: 750 };

const SETUPS = {
  ours: async (url) => {
    const policy = createPolicy(url, { fetch });
    const clients = [
      await createClient('axios + attachQuivo', { url, policy }),
      await createClient('axios + attachQuivo', { url, policy }),
      await createClient('createQuivoFetch', { url, policy }),
    ];
    return { clients, loginsBy: () => ({}) };
  },
  today: async (url) => {
    const store = createTokenStore(url);
    const clients = [
      await createClient('axios-retry + axios-auth-refresh', { url, store, label: 'axios A' }),
      await createClient('axios-retry + axios-auth-refresh', { url, store, label: 'axios B' }),
      await createClient('ky (default retry)', { url, store, label: 'ky' }),
    ];
    return { clients, loginsBy: () => ({ ...store.loginsBy }) };
  },
};
const LABELS = {
  ours: 'ours: 2 x attachQuivo + createQuivoFetch, one policy',
  today: 'axios-auth-refresh (2 instances) + ky afterResponse refresh',
};

const bench = beginBenchmark({
  name: 'token-expiry',
  number: 5,
  title: 'Token expiry with requests in flight, three clients sharing the token',
  workload: `N = ${IN_FLIGHT.join(' and ')} closed-loop workers spread over three clients; every request answered after a ${REQUEST_LATENCY_MS} ms latency fault, POST /login after ${LOGIN_LATENCY_MS} ms; sim.expireTokens() ${EXPIRE_AFTER_MS} ms into the run, then ${RUN_AFTER_EXPIRY_MS} ms more; each run paired with a control run without expiry; ${ROUNDS} round(s), interleaved`,
  simulator: SIMULATOR_IN_CHILD,
});

const sim = await startSimulatorProcess({ latencyMs: REQUEST_LATENCY_MS, random: { probabilities: { latency: 1 } } });
await sim.pushFaults({ match: { method: 'POST', path: '/login' }, fault: 'latency', latencyMs: LOGIN_LATENCY_MS, times: 100_000 });

async function run({ setup, inFlight, expire }) {
  const { clients, loginsBy } = await SETUPS[setup](sim.url);
  // Each client logs in (or finds the shared token) and has a request behind it.
  await Promise.all(clients.map((c) => c.request('GET', '/stock')));
  const loginsBefore = (await sim.stats()).logins;
  const clientLoginsBefore = loginsBy();
  const requests = [];
  let stop = false;
  const t0 = performance.now();
  const workers = Array.from({ length: inFlight }, async (_, i) => {
    const client = clients[i % clients.length];
    while (!stop) {
      const startedAt = performance.now() - t0;
      const outcome = await client.request('GET', '/stock');
      requests.push({ startedAt, latency: performance.now() - t0 - startedAt, ok: outcome.ok, code: [outcome.status, outcome.code].filter(Boolean).join(' ') });
    }
  });
  await sleep(EXPIRE_AFTER_MS);
  if (expire) await sim.expireTokens();
  const expiredAt = performance.now() - t0;
  await sleep(RUN_AFTER_EXPIRY_MS);
  stop = true;
  await Promise.all(workers);
  const logins = (await sim.stats()).logins - loginsBefore;
  const clientLogins = Object.fromEntries(Object.entries(loginsBy()).map(([k, v]) => [k, v - (clientLoginsBefore[k] ?? 0)]));
  const inWindow = requests.filter((r) => r.startedAt >= expiredAt - WINDOW.beforeMs && r.startedAt <= expiredAt + WINDOW.afterMs);
  return {
    logins,
    clientLogins,
    requests: requests.length,
    failures: requests.filter((r) => !r.ok).length,
    failureCodes: requests.filter((r) => !r.ok).map((r) => r.code),
    p50: percentile(inWindow.map((r) => r.latency), 50),
    p99: percentile(inWindow.map((r) => r.latency), 99),
    max: Math.max(...inWindow.map((r) => r.latency)),
  };
}

const scenarios = [];
for (const inFlight of IN_FLIGHT) {
  const alts = ['ours', 'today'].flatMap((setup) => [
    { name: `${setup} expire`, setup, expire: true },
    { name: `${setup} control`, setup, expire: false },
  ]);
  const results = await interleave(alts, ROUNDS, (alt) => run({ ...alt, inFlight }));
  for (const setup of ['ours', 'today']) {
    const runs = results.get(`${setup} expire`);
    const controls = results.get(`${setup} control`);
    scenarios.push({
      inFlight,
      setup,
      label: LABELS[setup],
      loginsPerRun: runs.map((r) => r.logins),
      clientLogins: runs.map((r) => r.clientLogins),
      failuresPerRun: runs.map((r) => r.failures),
      failureCodes: [...new Set(runs.flatMap((r) => r.failureCodes))],
      requests: median(runs.map((r) => r.requests)),
      p99: median(runs.map((r) => r.p99)),
      controlP99: median(controls.map((r) => r.p99)),
      addedP99: median(runs.map((r, i) => r.p99 - controls[i].p99)),
      max: Math.max(...runs.map((r) => r.max)),
      controlLogins: controls.map((r) => r.logins),
      controlFailures: controls.map((r) => r.failures),
      runs,
      controls,
    });
  }
}
await sim.close();

const verdicts = scenarios
  .filter((s) => s.setup === 'ours')
  .map((s) => {
    const met = s.loginsPerRun.every((n) => n === 1) && s.failuresPerRun.every((n) => n === 0);
    return {
      target: `${s.inFlight} in flight, ${s.label}: exactly 1 login per expiry, 0 failed requests`,
      measured: `logins per run ${s.loginsPerRun.join(', ')}; failures per run ${s.failuresPerRun.join(', ')}; added p99 ${fmt(s.addedP99, 1)} ms (login takes ${LOGIN_LATENCY_MS} ms here)`,
      met,
    };
  });

bench.finish({
  tables: [
    {
      caption: `Token expiry (${ROUNDS} run(s) each; latency over requests started from ${WINDOW.beforeMs} ms before to ${WINDOW.afterMs} ms after the expiry, medians)`,
      columns: ['in flight', 'setup', 'logins per expiry (each run)', 'logins by client', 'failed requests (each run)', 'p99 ms', 'control p99 ms', 'added p99 ms', 'requests per run'],
      rows: scenarios.map((s) => [
        s.inFlight,
        s.label,
        s.loginsPerRun.join(', '),
        s.setup === 'today' ? s.clientLogins.map((c) => Object.entries(c).map(([k, v]) => `${k} ${v}`).join(' / ')).join('; ') : '-',
        `${s.failuresPerRun.join(', ')}${s.failureCodes.length ? ` (${s.failureCodes.join(', ')})` : ''}`,
        fmt(s.p99, 1),
        fmt(s.controlP99, 1),
        fmt(s.addedP99, 1),
        fmt(s.requests, 0),
      ]),
    },
  ],
  verdicts,
  notes: [
    'p99 is nearest-rank over the requests of one run (those whose window includes the expiry): with fewer than 100 of them, as at 10 in flight, it is that run\'s slowest request.',
    `Every request waits ${REQUEST_LATENCY_MS} ms in the simulator after the authorizer, so at the expiry about N requests are in flight (they pass: they were authorised before it); each worker's next request carries the expired token and gets 401 at once. POST /login takes ${LOGIN_LATENCY_MS} ms, so a 401'd request cannot finish in less than about ${LOGIN_LATENCY_MS + REQUEST_LATENCY_MS} ms: added p99 near ${LOGIN_LATENCY_MS} ms is the floor, not overhead.`,
    'Logins are the simulator\'s count (stats().logins) from after warm-up to the end of the run; "logins by client" is which hand-written refresh hook made them.',
    'ky follows its readme: afterResponse on 401 logs in and returns ky.retry() with the new header; without `delay`, that retry waits ky\'s default backoff (300 ms).',
    'Control runs are the same setup and load without sim.expireTokens(); their logins and failures were all 0 unless listed in the JSON.',
  ],
  raw: { scenarios },
});
