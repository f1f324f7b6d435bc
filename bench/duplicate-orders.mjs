// Benchmark 6: 504 on POST /orders. The simulator's backend creates the order, then the
// gateway answers 504 (the answer is lost, the work is done). A client that replays the POST
// creates a duplicate, counted by the simulator (orders with an orderIdentifier seen before).
import axiosRetry from 'axios-retry';
import { createClient } from './lib/clients.mjs';
import { QUICK } from './lib/measure.mjs';
import { beginBenchmark, SIMULATOR_IN_CHILD } from './lib/report.mjs';
import { startSimulatorProcess } from './lib/simulator-process.mjs';

const ORDERS = QUICK ? 3 : 10;

const ALTERNATIVES = [
  { name: 'axios (bare)', client: 'axios (bare)', expect: 'no retries' },
  { name: 'axios + attachQuivo (default)', client: 'axios + attachQuivo', ours: true, expect: 'POST not replayed after 504' },
  { name: 'createQuivoFetch (default)', client: 'createQuivoFetch', ours: true, expect: 'POST not replayed after 504' },
  { name: 'axios + attachQuivo, retry.retryUnsafe: true', client: 'axios + attachQuivo', ctx: { policyOptions: { retry: { retryUnsafe: true } } }, expect: 'opt-in: duplicates expected' },
  { name: 'createQuivoFetch, retry.retryUnsafe: true', client: 'createQuivoFetch', ctx: { policyOptions: { retry: { retryUnsafe: true } } }, expect: 'opt-in: duplicates expected' },
  { name: 'axios-retry (idempotent + 429, as configured here)', client: 'axios-retry + axios-auth-refresh', expect: 'isNetworkOrIdempotentRequestError skips POST' },
  { name: 'axios-retry, "retry every 5xx" (retryCondition: isRetryableError)', client: 'axios-retry + axios-auth-refresh', ctx: { retryCondition: axiosRetry.isRetryableError }, expect: 'a common config: retries POST' },
  { name: 'ky (default retry)', client: 'ky (default retry)', expect: 'default retry methods exclude POST' },
  { name: 'p-retry + fetch (throw if !res.ok)', client: 'p-retry + fetch', expect: 'retries whatever throws' },
];

const bench = beginBenchmark({
  name: 'duplicate-orders',
  number: 6,
  title: '504 on POST /orders: duplicate orders',
  workload: `${ORDERS} logical POST /orders per alternative, one at a time, each with a unique orderIdentifier; a scripted 504 answers the first attempt of each (the backend has created the order); later attempts succeed`,
  simulator: SIMULATOR_IN_CHILD,
});

const sim = await startSimulatorProcess({});
const rows = [];
for (const alt of ALTERNATIVES) {
  const client = await createClient(alt.client, { url: sim.url, ...alt.ctx });
  await client.request('GET', '/stock'); // login outside the count
  const before = await sim.stats();
  const outcomes = [];
  const t0 = performance.now();
  for (let i = 0; i < ORDERS; i++) {
    await sim.pushFaults({ match: { method: 'POST', path: '/orders' }, fault: '504' });
    const orderIdentifier = `${alt.name.replace(/\W+/g, '-')}-${i}`;
    outcomes.push(await client.request('POST', '/orders', { orderIdentifier, positions: [{ sku: 'QV-1001', quantity: 1 }] }));
    await sim.clearFaults();
  }
  const elapsedMs = performance.now() - t0;
  const after = await sim.stats();
  const posts = Object.values(after.byRoute['POST /orders'] ?? {}).reduce((a, b) => a + b, 0) - Object.values(before.byRoute['POST /orders'] ?? {}).reduce((a, b) => a + b, 0);
  const failed = outcomes.filter((o) => !o.ok);
  rows.push({
    name: alt.name,
    ours: alt.ours === true,
    expect: alt.expect,
    duplicates: after.duplicateOrders - before.duplicateOrders,
    ordersCreated: after.ordersCreated - before.ordersCreated,
    posts,
    callerSaw: failed.length === 0 ? `all ${ORDERS} succeeded` : `${failed.length} failed (${[...new Set(failed.map((o) => [o.status, o.code].filter(Boolean).join(' ')))].join(', ')})`,
    seconds: elapsedMs / 1000,
  });
}
await sim.close();

bench.finish({
  tables: [
    {
      caption: `${ORDERS} logical orders per alternative, first attempt of each answered 504 after the order was created`,
      columns: ['alternative', 'POSTs sent', 'orders created', 'duplicate orders', 'what the caller saw', 'why', 'time s'],
      rows: rows.map((r) => [r.name, r.posts, r.ordersCreated, r.duplicates, r.callerSaw, r.expect, r.seconds.toFixed(1)]),
    },
  ],
  verdicts: rows.filter((r) => r.ours).map((r) => ({ target: `${r.name}: 0 duplicate orders, each order created once`, measured: `${r.duplicates} duplicates, ${r.ordersCreated} of ${ORDERS} orders created; caller: ${r.callerSaw}`, met: r.duplicates === 0 && r.ordersCreated === ORDERS })),
  notes: [
    'Duplicates are the simulator\'s count (stats().duplicateOrders: an order whose orderIdentifier an earlier order had).',
    'With the default, ours answers the 504 to the caller as INTEGRATION_TIMEOUT (axios: rejects with the QuivoError; fetch: resolves with the 504 Response): the order may exist, and only the caller can check (e.g. by orderIdentifier) before trying again.',
    'retryUnsafe is the documented opt-in for endpoints known to be idempotent; on POST /orders it duplicates, as shown.',
  ],
  raw: { rows },
});
