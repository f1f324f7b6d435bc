// @ts-check
/**
 * Two Quivo services in one process, each with its own policy; and one policy shared by an
 * axios instance and a fetch wrapper.
 *
 * A policy is one service's token, limiter and retry budget. Give each service (each Quivo
 * account or API) its own, and give every client of the same service the same one.
 *
 * Shows, against two local simulators (one per service):
 * - the orders policy serves an axios instance and a fetch wrapper with one login;
 * - each service logs in with its own credentials; a token expiry on one does not touch the other;
 * - credentials go only to the policy's own origin;
 * - retry settings differ: orders gives up after one retry, stock keeps going;
 * - limiters are separate: stock's `maxConcurrent: 1` does not hold back orders.
 *
 * Run: node examples/two-services.mjs
 */
import assert from 'node:assert/strict';
import axios from 'axios';
import { attachQuivo } from '@quivo-resilience/axios';
import { createQuivoPolicy } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import { startQuivoSimulator } from '@quivo-resilience/simulator';

setTimeout(() => {
  console.error('two-services: no result after 30 s');
  process.exit(1);
}, 30_000).unref();

// Two APIs with different keys and users: a request with the wrong credentials would fail.
const ordersSim = await startQuivoSimulator({ apiKeys: 'orders-key', users: [{ username: 'orders-app', password: 'orders-secret' }] });
const stockSim = await startQuivoSimulator({ apiKeys: 'stock-key', users: [{ username: 'stock-app', password: 'stock-secret' }] });

try {
  // #region two-services
  // Orders: writes, so a strict retry (one retry at most), rate learned from 429s.
  const ordersPolicy = createQuivoPolicy({
    baseURL: ordersSim.url,
    apiKey: 'orders-key',
    credentials: { username: 'orders-app', password: 'orders-secret' },
    retry: { retries: 1, baseDelayMs: 50 },
  });
  // Stock: read-only and slow, so more patience, and at most one request at a time.
  const stockPolicy = createQuivoPolicy({
    baseURL: stockSim.url,
    apiKey: 'stock-key',
    credentials: { username: 'stock-app', password: 'stock-secret' },
    retry: { retries: 5, baseDelayMs: 20 },
    rateLimit: { requestsPerSecond: 20, burst: 2, maxConcurrent: 1 },
  });

  // One policy, two clients: they share its token, limiter and retry budget.
  const orders = axios.create({ baseURL: ordersSim.url });
  attachQuivo(orders, ordersPolicy);
  const ordersFetch = createQuivoFetch(ordersPolicy);
  const stockFetch = createQuivoFetch(stockPolicy);
  // #endregion

  const { data: order } = await orders.post('/orders', { orderIdentifier: 'TS-1', positions: [{ sku: 'QV-1001', quantity: 1 }] });
  const fetched = await (await ordersFetch(`${ordersSim.url}/orders/${order.id}`)).json();
  assert.equal(fetched.id, order.id);
  assert.equal((await stockFetch(`${stockSim.url}/stock`)).status, 200);
  assert.equal(ordersSim.stats().logins, 1, 'axios and fetch share the orders token');
  assert.equal(stockSim.stats().logins, 1);
  console.log('logins: orders', ordersSim.stats().logins, '(axios + fetch), stock', stockSim.stats().logins);

  // Tokens are separate: expire the orders token; only the orders policy logs in again.
  ordersSim.expireTokens();
  await orders.get(`/orders/${order.id}`);
  assert.equal((await stockFetch(`${stockSim.url}/stock`)).status, 200);
  assert.equal(ordersSim.stats().logins, 2, 'orders refreshed after its 401');
  assert.equal(stockSim.stats().logins, 1, 'stock kept its token');
  console.log('after the orders token expired: logins orders', ordersSim.stats().logins, 'stock', stockSim.stats().logins);

  // Credentials go only to the policy's origin: the stock wrapper sends a request for the
  // orders API as plain fetch, without any key, and API Gateway refuses it.
  const foreign = await stockFetch(`${ordersSim.url}/stock`);
  assert.equal(foreign.status, 403);
  assert.equal((await foreign.json()).message, 'Forbidden');
  console.log('stock wrapper -> orders origin: no credentials sent, got', foreign.status);

  // Retry settings are per policy: two 503s in a row exhaust orders' single retry...
  ordersSim.faults.push({ match: { method: 'GET', path: '/orders' }, fault: '503', times: 2 });
  const ordersList = await ordersFetch(`${ordersSim.url}/orders`);
  assert.equal(ordersList.status, 503);
  // ...while stock rides them out.
  stockSim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '503', times: 2 });
  assert.equal((await stockFetch(`${stockSim.url}/stock`)).status, 200);
  console.log('two 503s: orders (1 retry) returned', ordersList.status, '| stock (5 retries) got 200');

  // Limiters are separate. Each request waits 200 ms inside its simulator. Stock's limiter
  // lets one through at a time; the orders policy has no such cap, so its two overlap.
  stockSim.faults.push({ fault: 'latency', latencyMs: 200, times: 2 });
  ordersSim.faults.push({ fault: 'latency', latencyMs: 200, times: 2 });
  stockSim.resetStats();
  ordersSim.resetStats();
  const started = performance.now();
  await Promise.all([
    stockFetch(`${stockSim.url}/stock`),
    stockFetch(`${stockSim.url}/stock`),
    orders.get(`/orders/${order.id}`),
    ordersFetch(`${ordersSim.url}/orders/${order.id}`),
  ]);
  assert.equal(stockSim.stats().peakConcurrency, 1, 'stock: one request at a time');
  assert.equal(ordersSim.stats().peakConcurrency, 2, 'orders: not held back by the stock limiter');
  console.log(
    `peak concurrency: stock ${stockSim.stats().peakConcurrency}, orders ${ordersSim.stats().peakConcurrency}`,
    `(${Math.round(performance.now() - started)} ms)`,
  );

  ordersPolicy.close();
  stockPolicy.close();
} finally {
  await Promise.all([ordersSim.close(), stockSim.close()]);
}
