// @ts-check
/**
 * An axios service with its own Quivo configuration: `attachQuivo(instance, options)`.
 *
 * Shows, against a local simulator:
 * - one login serves every request;
 * - a throttled request (429) is retried, even a POST: API Gateway refused it before the backend ran;
 * - a POST that timed out at the gateway (504) is NOT retried: the backend may have created the
 *   order, and a replay would create a second one. The app reconciles by `orderIdentifier`;
 * - a per-request opt-in (`quivo: { retryUnsafe: true }`) for a PATCH that is safe to repeat.
 *
 * Run: node examples/axios-service.mjs
 */
import assert from 'node:assert/strict';
import axios from 'axios';
import { attachQuivo } from '@quivo-resilience/axios';
import { isQuivoError } from '@quivo-resilience/core';
import { SIMULATOR_DEFAULTS, startQuivoSimulator } from '@quivo-resilience/simulator';

// A hung example must fail CI, not stall it.
setTimeout(() => {
  console.error('axios-service: no result after 30 s');
  process.exit(1);
}, 30_000).unref();

const sim = await startQuivoSimulator();
// In production: your Quivo API origin, and the key and login from your secret store.
const baseURL = sim.url;
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

try {
  // #region axios-service
  const quivo = axios.create({ baseURL });
  const eject = attachQuivo(quivo, {
    baseURL,
    apiKey,
    credentials, // { username, password }: POST /login once, again only when the token expires
    retry: { retries: 3, baseDelayMs: 50, throttleBaseDelayMs: 100 },
    rateLimit: { requestsPerSecond: 20, burst: 5 }, // your usage plan's rate, if you know it
    timeoutMs: 10_000, // per attempt
  });

  const { data: order } = await quivo.post('/orders', {
    orderIdentifier: 'SHOP-1001', // your own unique id: it lets you find an order after a 504
    positions: [{ sku: 'QV-1001', quantity: 2 }],
  });
  const { data: sameOrder } = await quivo.get(`/orders/${order.id}`);
  // #endregion
  assert.equal(sameOrder.orderIdentifier, 'SHOP-1001');

  // 429: the next POST /orders is throttled once. THROTTLED means "never reached the backend",
  // so even a POST is retried, and the caller just sees the created order.
  sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'throttle' });
  const { data: second } = await quivo.post('/orders', { orderIdentifier: 'SHOP-1002', positions: [{ sku: 'QV-1002', quantity: 1 }] });
  assert.equal(second.orderIdentifier, 'SHOP-1002');
  assert.deepEqual(sim.stats().byRoute['POST /orders'], { 201: 2, 429: 1 });
  console.log('429 on POST /orders: retried, order', second.id, 'created once');

  // 504: the simulator runs the backend, then answers "Endpoint request timed out", as API
  // Gateway does after 29 s. The outcome is unknown, so the POST is not replayed.
  sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' });
  // #region axios-504
  const draft = { orderIdentifier: 'SHOP-1003', positions: [{ sku: 'QV-1001', quantity: 5 }] };
  let created;
  try {
    ({ data: created } = await quivo.post('/orders', draft));
  } catch (err) {
    if (!isQuivoError(err) || err.outcome !== 'unknown') throw err;
    // The order may exist: look it up by your own identifier before sending it again.
    created = (await findOrder(quivo, draft.orderIdentifier)) ?? (await quivo.post('/orders', draft)).data;
  }
  // #endregion
  const stats = sim.stats();
  assert.equal(stats.byRoute['POST /orders']?.[504], 1, 'the 504 reached the caller');
  assert.equal(stats.byRoute['POST /orders']?.[201], 2, 'and was not replayed');
  assert.equal(created.orderIdentifier, 'SHOP-1003', 'reconciliation found the order the 504 hid');
  assert.equal(stats.ordersCreated, 3);
  assert.equal(stats.duplicateOrders, 0);
  console.log('504 on POST /orders: not retried; found order', created.id, 'by its orderIdentifier');

  // Per request: this PATCH sets a field to a fixed value, so sending it twice is harmless.
  // `retryUnsafe` lets the policy replay it after a 504, as it would a GET.
  sim.faults.push({ match: { method: 'PATCH', path: '/orders/{id}' }, fault: '504' });
  const { data: cancelled } = await quivo.patch(`/orders/${order.id}`, { status: 'CANCELLED' }, { quivo: { retryUnsafe: true } });
  assert.equal(cancelled.status, 'CANCELLED');
  assert.deepEqual(sim.stats().byRoute['PATCH /orders/{id}'], { 200: 1, 504: 1 });
  console.log('504 on PATCH with retryUnsafe: retried, status', cancelled.status);

  assert.equal(sim.stats().logins, 1, 'one login for every request of the service');
  assert.equal(sim.stats().duplicateOrders, 0);
  console.log('logins:', sim.stats().logins, '| duplicate orders:', sim.stats().duplicateOrders);
  eject(); // removes the interceptor and closes the policy attachQuivo created
} finally {
  await sim.close();
}

/**
 * Pages through GET /orders for the order with this `orderIdentifier`.
 * @param {import('axios').AxiosInstance} client
 * @param {string} orderIdentifier
 */
async function findOrder(client, orderIdentifier) {
  /** @type {string | null} */
  let pageToken = null;
  do {
    /** @type {{ data: { orders: Array<{ id: number, orderIdentifier?: string }>, nextPageToken: string | null } }} */
    const { data } = await client.get('/orders', { params: { pageSize: 100, ...(pageToken ? { pageToken } : {}) } });
    const found = data.orders.find((o) => o.orderIdentifier === orderIdentifier);
    if (found) return found;
    pageToken = data.nextPageToken;
  } while (pageToken);
  return undefined;
}
