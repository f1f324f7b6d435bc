// @ts-check
/**
 * ky, ofetch and openapi-fetch on top of `createQuivoFetch`: each takes a custom `fetch`,
 * so each gets the policy's login, refresh, retries and rate limit without knowing it.
 *
 * Turn the client's own retry off. The policy already retries what is safe to retry; a
 * second retry layer would multiply attempts (3 x 3 = 9 on a 503), back off twice, and ky
 * and ofetch would not know that a POST with an unknown outcome (504) must not be replayed.
 *
 * Shows, against a local simulator: each client survives a token expiry with exactly one
 * login, and ky (with `retry: 0`) still rides out a 503 because the policy retries it.
 *
 * Run: node examples/ky-ofetch-openapi.mjs
 */
import assert from 'node:assert/strict';
import ky from 'ky';
import { ofetch } from 'ofetch';
import createClient from 'openapi-fetch';
import { createQuivoPolicy } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import { SIMULATOR_DEFAULTS, startQuivoSimulator } from '@quivo-resilience/simulator';

setTimeout(() => {
  console.error('ky-ofetch-openapi: no result after 30 s');
  process.exit(1);
}, 30_000).unref();

/**
 * A hand-written slice of what `openapi-typescript` would generate from Quivo's OpenAPI file.
 * @typedef {{ id: number, orderIdentifier: string, positions: Array<{ sku: string, quantity: number }>, status: string }} Order
 * @typedef {{
 *   '/orders': {
 *     post: {
 *       requestBody: { content: { 'application/json': { orderIdentifier: string, positions: Array<{ sku: string, quantity: number }> } } },
 *       responses: { 201: { content: { 'application/json': Order } }, 400: { content: { 'text/plain': string } } },
 *     },
 *   },
 *   '/orders/{id}': {
 *     get: {
 *       parameters: { path: { id: number } },
 *       responses: { 200: { content: { 'application/json': Order } }, 404: { content: { 'text/plain': string } } },
 *     },
 *   },
 * }} paths
 */

const sim = await startQuivoSimulator();
const baseURL = sim.url; // in production: your Quivo API origin
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

try {
  const policy = createQuivoPolicy({ baseURL, apiKey, credentials, retry: { baseDelayMs: 50 } });
  /** @type {string[]} */
  const refreshes = [];
  policy.onRefresh(({ reason, outcome }) => refreshes.push(`${reason}:${outcome}`));

  // #region ky-ofetch-openapi
  const quivoFetch = createQuivoFetch(policy);

  // ky 1.x: its retry (GETs on 408/413/429/5xx) and its 10 s timeout off; the policy's apply.
  const kyApi = ky.create({ prefixUrl: baseURL, fetch: quivoFetch, retry: 0, timeout: false });

  // ofetch 1.x reads `fetch` from its *global* options: the second argument of `create`.
  // (In the first argument it would be a request default, silently ignored.) Retry off, as above.
  const ofetchApi = ofetch.create({ baseURL, retry: 0 }, { fetch: quivoFetch });

  // openapi-fetch has no retry of its own.
  /** @type {import('openapi-fetch').Client<paths>} */
  const openapi = createClient({ baseUrl: baseURL, fetch: quivoFetch });
  // #endregion

  // ky: the session token expires between two requests; the 401 is answered with one login
  // and a replay, and ky just sees the created order.
  await kyApi.get('stock').json(); // first login
  sim.expireTokens();
  /** @type {Order} */
  const kyOrder = await kyApi.post('orders', { json: { orderIdentifier: 'KY-1', positions: [{ sku: 'QV-1001', quantity: 1 }] } }).json();
  assert.equal(kyOrder.orderIdentifier, 'KY-1');
  assert.equal(sim.stats().logins, 2);
  console.log('ky: token expired -> one login, order', kyOrder.id, 'created');

  // ky with retry: 0 still survives a 503: the policy retried it below ky.
  sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '503' });
  assert.ok(Array.isArray(await kyApi.get('stock').json()));
  assert.deepEqual(sim.stats().byRoute['GET /stock'], { 200: 2, 503: 1 });
  console.log('ky: 503 on GET /stock retried by the policy (ky retry: 0)');

  sim.expireTokens();
  /** @type {Order} */
  const ofOrder = await ofetchApi('/orders', { method: 'POST', body: { orderIdentifier: 'OF-1', positions: [{ sku: 'QV-1002', quantity: 3 }] } });
  assert.equal(ofOrder.orderIdentifier, 'OF-1');
  const ofRead = await ofetchApi(`/orders/${ofOrder.id}`);
  assert.equal(ofRead.id, ofOrder.id);
  assert.equal(sim.stats().logins, 3);
  console.log('ofetch: token expired -> one login, order', ofOrder.id, 'created and read');

  sim.expireTokens();
  const { data, error, response } = await openapi.GET('/orders/{id}', { params: { path: { id: kyOrder.id } } });
  assert.equal(response.status, 200);
  assert.equal(error, undefined);
  assert.equal(data?.orderIdentifier, 'KY-1');
  // An error body reaches openapi-fetch intact: the policy classified a clone.
  const missing = await openapi.GET('/orders/{id}', { params: { path: { id: 1 } } });
  assert.equal(missing.response.status, 404);
  assert.equal(missing.error, 'Order with ID 1 not found');
  assert.equal(sim.stats().logins, 4);
  console.log('openapi-fetch: token expired -> one login, order', data?.id, 'read; 404 body:', missing.error);

  // One initial login, then one per expiry: never a login per request.
  assert.deepEqual(refreshes, ['initial:success', 'expired:success', 'expired:success', 'expired:success']);
  assert.equal(sim.stats().duplicateOrders, 0);
  console.log('refreshes:', refreshes.join(', '));
  policy.close();
} finally {
  await sim.close();
}
