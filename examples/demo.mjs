// @ts-check
/**
 * Quivo Resilience demo: a realistic order workload against a hostile (simulated) Quivo API.
 *
 * The simulator issues session tokens that expire every 3 s, throttles at 100 requests/s
 * (burst 10) as an API Gateway usage plan does, and answers a seeded-random few percent of
 * requests with 504, 503, 500 or a reset connection. Midway, the usage plan's quota runs out
 * for two requests. An axios instance and a fetch wrapper share ONE policy, so one token, one
 * adaptive rate limiter and one retry budget, while workers create and read a few hundred
 * orders.
 *
 * What should happen: few logins (one per token lifetime, not one per 401), GETs retried
 * through every fault, no POST replayed when its outcome is unknown (so no duplicate order),
 * and those POSTs reconciled afterwards by their orderIdentifier.
 *
 * Exit code 0 when there are no duplicate orders and nothing crashed.
 *
 * Run: npm run demo   (or, after a build: node examples/demo.mjs)
 */
import axios from 'axios';
import { attachQuivo } from '@quivo-resilience/axios';
import { createQuivoPolicy, isQuivoError } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import { SIMULATOR_DEFAULTS, startQuivoSimulator } from '@quivo-resilience/simulator';

const ORDERS = 300; // each: POST /orders, GET /orders/{id}; every 4th also GET /orders, or GET /stock
const WORKERS = 16; // concurrent "users"
const PLAN_RATE = 100; // the usage plan's throttle, requests per second
const SAFETY_MS = 60_000;

setTimeout(() => {
  console.error(`\ndemo: not finished after ${SAFETY_MS / 1000} s; giving up`);
  process.exit(1);
}, SAFETY_MS).unref();

const sim = await startQuivoSimulator({
  tokenLifetimeSeconds: 3,
  throttle: { rate: PLAN_RATE, burst: 10 },
  quota: { limit: 100_000, windowMs: 24 * 60 * 60 * 1000 },
  random: { seed: 7, probabilities: { fault504: 0.03, fault503: 0.02, fault500: 0.01, reset: 0.01 } },
});
const baseURL = sim.url;
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

// One policy for the whole app. No rate is configured: the adaptive limiter learns the plan's
// rate from the 429s, as it must when nobody told the app what the plan allows.
const policy = createQuivoPolicy({ baseURL, apiKey, credentials, timeoutMs: 5_000 });
const quivo = axios.create({ baseURL });
attachQuivo(quivo, policy);
// throwHttpErrors: both clients fail the same way here, so the workload code can share one path.
const quivoFetch = createQuivoFetch(policy, { throwHttpErrors: true });

/** @typedef {{ orderIdentifier: string, positions: Array<{ sku: string, quantity: number }> }} OrderDraft */
/** @typedef {{ id: number, orderIdentifier: string }} Order */
/**
 * The same four calls through each client.
 * @typedef {{ name: string, create(d: OrderDraft): Promise<Order>, get(id: number): Promise<Order>, list(): Promise<unknown>, stock(): Promise<unknown> }} Client
 */

/** @type {Client} */
const viaAxios = {
  name: 'axios',
  create: async (draft) => (await quivo.post('/orders', draft)).data,
  get: async (id) => (await quivo.get(`/orders/${id}`)).data,
  list: async () => (await quivo.get('/orders', { params: { pageSize: 20 } })).data,
  stock: async () => (await quivo.get('/stock')).data,
};
/** @type {Client} */
const viaFetch = {
  name: 'fetch',
  create: async (draft) => {
    const response = await quivoFetch(`${baseURL}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(draft) });
    return response.json();
  },
  get: async (id) => (await quivoFetch(`${baseURL}/orders/${id}`)).json(),
  list: async () => (await quivoFetch(`${baseURL}/orders?pageSize=20`)).json(),
  stock: async () => (await quivoFetch(`${baseURL}/stock`)).json(),
};

// What the policy reports through its events: the library never logs; the app counts.
/** @type {Map<string, number>} */
const retriesByCode = new Map();
/** @type {Map<string, number>} */
const refreshesByReason = new Map();
let rateCuts = 0;
let learnedRate = Infinity;
policy.onRetry(({ error }) => increment(retriesByCode, error.code));
policy.onRefresh(({ reason, outcome }) => increment(refreshesByReason, outcome === 'success' ? reason : `${reason} (failed)`));
policy.onThrottle(({ rate }) => {
  rateCuts += 1;
  learnedRate = rate;
});

// What the app itself sees.
const counts = { requests: 0, ok: 0, failed: 0, axios: 0, fetch: 0 };
/** @type {Map<string, { count: number, example: string }>} */
const errorsByCode = new Map();
/** @type {Array<{ draft: OrderDraft, code: string }>} POSTs that failed and were (rightly) not replayed */
const unsettledCreates = [];

/**
 * One request of the workload: counts it, and files a QuivoError under its code. Anything
 * else thrown is a bug, and crashes the demo.
 * @template T
 * @param {Client} client
 * @param {() => Promise<T>} call
 * @returns {Promise<{ ok: true, value: T } | { ok: false, error: import('@quivo-resilience/core').QuivoError }>}
 */
async function request(client, call) {
  counts.requests += 1;
  counts[/** @type {'axios' | 'fetch'} */ (client.name)] += 1;
  try {
    const value = await call();
    counts.ok += 1;
    return { ok: true, value };
  } catch (error) {
    if (!isQuivoError(error)) throw error;
    counts.failed += 1;
    const entry = errorsByCode.get(error.code) ?? { count: 0, example: `${error.method} ${new URL(error.url ?? baseURL).pathname}: ${error.message}` };
    entry.count += 1;
    errorsByCode.set(error.code, entry);
    return { ok: false, error };
  }
}

const runId = Date.now().toString(36);
let next = 0;

/** One "user": takes the next order number until none are left. */
async function worker() {
  for (let i = next++; i < ORDERS; i = next++) {
    const client = i % 2 === 0 ? viaAxios : viaFetch;
    // Your own unique id for the order: the only way to find it after an unknown outcome.
    const draft = { orderIdentifier: `DEMO-${runId}-${i}`, positions: [{ sku: 'QV-1001', quantity: 1 + (i % 5) }] };
    const created = await request(client, () => client.create(draft));
    if (created.ok) await request(client, () => client.get(created.value.id));
    else if (created.error.code !== 'BAD_REQUEST') unsettledCreates.push({ draft, code: created.error.code });
    if (i % 4 === 0) await request(client, () => client.list()); // through axios
    if (i % 4 === 1) await request(client, () => client.stock()); // through fetch
    // Halfway, the usage plan's quota runs out for the next two requests (a scripted fault:
    // a real quota would stop the rest of the run). QUOTA_EXCEEDED is not retried without a
    // Retry-After: retrying within seconds cannot help, so it fails fast.
    if (i === ORDERS / 2) sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: 'quota', times: 2 });
  }
}

const plannedRequests = ORDERS * 2 + ORDERS / 2;
const started = performance.now();
const seconds = () => (performance.now() - started) / 1000;
const isTTY = process.stdout.isTTY === true;
console.log(
  `Quivo Resilience demo: ${ORDERS} orders, ~${plannedRequests} requests from ${WORKERS} workers through axios + fetch sharing one policy.`,
);
console.log(`Simulator: tokens live 3 s, throttle ${PLAN_RATE}/s burst 10, random 504 3% · 503 2% · 500 1% · reset 1% (seed 7).\n`);
const progressLine = () => {
  const s = sim.stats();
  const retries = sum(retriesByCode.values());
  return `[${seconds().toFixed(1).padStart(5)} s] ${String(counts.requests).padStart(4)}/${plannedRequests} requests · ${counts.ok} ok · ${counts.failed} failed · ${retries} retries · ${s.logins} logins · ${s.throttled} 429s`;
};
// A single rewritten line on a terminal; one line a second when piped (CI logs).
const progress = setInterval(() => (isTTY ? process.stdout.write(`\r\x1b[2K${progressLine()}`) : console.log(progressLine())), isTTY ? 200 : 1000);

let crashed;
try {
  await Promise.all(Array.from({ length: WORKERS }, worker));
} catch (error) {
  crashed = error;
} finally {
  clearInterval(progress);
  if (isTTY) process.stdout.write(`\r\x1b[2K`);
  console.log(progressLine());
}
const workloadSeconds = seconds();

// Reconciliation: a POST that failed with an unknown outcome may have created the order. Look
// each up by its orderIdentifier; send again only those that do not exist.
const reconciled = { existed: 0, resent: 0, stillUnknown: 0 };
/** @type {Map<string, number>} */
const existedByCode = new Map();
/** @type {Map<string, number>} */
const absentByCode = new Map();
if (!crashed) {
  try {
    let pending = unsettledCreates;
    for (let round = 0; round < 3 && pending.length > 0; round++) {
      const known = await allOrderIdentifiers();
      /** @type {typeof pending} */
      const retryLater = [];
      for (const item of pending) {
        if (known.has(item.draft.orderIdentifier)) {
          reconciled.existed += 1;
          if (round === 0) increment(existedByCode, item.code);
          continue;
        }
        if (round === 0) increment(absentByCode, item.code);
        try {
          await viaAxios.create(item.draft);
          reconciled.resent += 1;
        } catch (error) {
          if (!isQuivoError(error)) throw error;
          retryLater.push(item); // unknown again: look it up again in the next round
        }
      }
      pending = retryLater;
    }
    reconciled.stillUnknown = pending.length;
  } catch (error) {
    crashed = error;
  }
}

const stats = sim.stats();
const elapsed = seconds();
const notRetried = unsettledCreates.length;
/** @type {Array<[string, string]>} */
const rows = [
  ['requests (by the app)', `${counts.requests} (axios ${counts.axios}, fetch ${counts.fetch}); the simulator served ${stats.requests} incl. retries and logins`],
  ['succeeded', `${counts.ok} (${percent(counts.ok, counts.requests)})`],
  ['failed, reported to the app', `${counts.failed}`],
  ['logins', `${stats.logins} (simulator) · onRefresh: ${list(refreshesByReason)} · 401s: ${stats.byStatus[401] ?? 0}`],
  ['retries by reason', retriesByCode.size > 0 ? list(retriesByCode) : 'none'],
  ['429s seen (simulator)', `${stats.byStatus[429] ?? 0} · limiter lowered its rate ${rateCuts} times${rateCuts > 0 ? `, last to ${learnedRate.toFixed(0)}/s` : ''}`],
  ['duplicate orders', `${stats.duplicateOrders} (orders created: ${stats.ordersCreated} for ${ORDERS} order identifiers)`],
  ['errors the app met', errorsByCode.size > 0 ? '' : 'none'],
  ...[...errorsByCode].sort((a, b) => b[1].count - a[1].count).map(([code, { count, example }]) => /** @type {[string, string]} */ ([`  ${code}`, `${count} × e.g. ${example}`])),
  ...(notRetried === 0
    ? [/** @type {[string, string]} */ (['POST /orders not retried', 'none'])]
    : /** @type {Array<[string, string]>} */ ([
        ['POST /orders not retried', `${notRetried}: outcome unknown (${list(countCodes(unsettledCreates))}); replaying could duplicate the order`],
        ['  reconciled by orderIdentifier', `${reconciled.existed} existed: the server had created them (${list(existedByCode) || '-'}) · ${reconciled.resent} absent (${list(absentByCode) || '-'}): sent again${reconciled.stillUnknown ? ` · ${reconciled.stillUnknown} still unknown` : ''}`],
      ])),
  ['elapsed', `${workloadSeconds.toFixed(1)} s for the workload (ideal ${(counts.requests / PLAN_RATE).toFixed(1)} s = ${counts.requests} requests at ${PLAN_RATE}/s); ${elapsed.toFixed(1)} s with reconciliation`],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log('');
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`.trimEnd());
console.log(`
Notes
- A POST whose outcome is unknown (504 "Endpoint request timed out", a reset connection, a 5xx) is not retried:
  the backend may have done the work, as the simulator shows for the 504s and resets. The app reconciles by its
  own orderIdentifier instead, and sends again only what does not exist. That is the safe behaviour.
- GETs are idempotent: the same faults on them were retried, and the app never saw them.
- QUOTA_EXCEEDED fails fast: without a Retry-After, waiting seconds cannot help a quota that resets hours later.
- Tokens live 3 s: the policy renews them shortly before they expire (onRefresh "proactive"), one login at a time.`);

policy.close();
await sim.close();

if (crashed) {
  console.error('\ndemo crashed:', crashed);
  process.exitCode = 1;
} else if (stats.duplicateOrders !== 0) {
  console.error(`\n${stats.duplicateOrders} duplicate orders: a POST was replayed that must not have been`);
  process.exitCode = 1;
}

/** Every orderIdentifier the API knows, page by page. */
async function allOrderIdentifiers() {
  const known = new Set();
  /** @type {string | null} */
  let pageToken = null;
  do {
    /** @type {{ data: { orders: Order[], nextPageToken: string | null } }} */
    const { data } = await quivo.get('/orders', { params: { pageSize: 100, ...(pageToken ? { pageToken } : {}) } });
    for (const order of data.orders) known.add(order.orderIdentifier);
    pageToken = data.nextPageToken;
  } while (pageToken);
  return known;
}

/** @param {Map<string, number>} map @param {string} key */
function increment(map, key) {
  map.set(key, (map.get(key) ?? 0) + 1);
}
/** @param {Iterable<number>} values */
function sum(values) {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
/** @param {Map<string, number>} map */
function list(map) {
  return [...map].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
}
/** @param {Array<{ code: string }>} items */
function countCodes(items) {
  /** @type {Map<string, number>} */
  const map = new Map();
  for (const { code } of items) increment(map, code);
  return map;
}
/** @param {number} part @param {number} whole */
function percent(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}
