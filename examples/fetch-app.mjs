// @ts-check
/**
 * A fetch-based app: `createQuivoFetch(policy)` is a drop-in `typeof fetch`.
 *
 * Shows, against a local simulator:
 * - GET and POST through the wrapper; a transient 503 on a GET is retried unseen;
 * - fetch semantics by default: a 404 resolves as a `Response` (body still readable), and
 *   `quivoErrorFromResponse` tells you what it was;
 * - `throwHttpErrors: true` (per wrapper or per request) rejects with the `QuivoError` instead;
 * - two wrappers over one policy share its login.
 *
 * Run: node examples/fetch-app.mjs
 */
import assert from 'node:assert/strict';
import { createQuivoPolicy, isQuivoError } from '@quivo-resilience/core';
import { createQuivoFetch, quivoErrorFromResponse, quivoInit } from '@quivo-resilience/fetch';
import { SIMULATOR_DEFAULTS, startQuivoSimulator } from '@quivo-resilience/simulator';

setTimeout(() => {
  console.error('fetch-app: no result after 30 s');
  process.exit(1);
}, 30_000).unref();

const sim = await startQuivoSimulator();
const baseURL = sim.url; // in production: your Quivo API origin
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

try {
  // #region fetch-app
  const policy = createQuivoPolicy({ baseURL, apiKey, credentials, retry: { baseDelayMs: 50 } });
  /** @type {string[]} */
  const retried = [];
  policy.onRetry(({ error }) => retried.push(error.code)); // metrics, not logs: the library never logs
  const quivoFetch = createQuivoFetch(policy);

  const response = await quivoFetch(`${baseURL}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderIdentifier: 'WEB-2001', positions: [{ sku: 'QV-1001', quantity: 1 }] }),
  });
  const order = await response.json();

  // fetch semantics: any status resolves. Ask the policy what a non-2xx response was.
  const missing = await quivoFetch(`${baseURL}/orders/1`);
  if (!missing.ok) {
    const error = await quivoErrorFromResponse(missing);
    console.log(error.code, error.status, error.message); // NOT_FOUND 404 Order with ID 1 not found
  }
  // #endregion
  assert.equal(response.status, 201);
  assert.equal(order.orderIdentifier, 'WEB-2001');
  assert.equal(missing.status, 404);
  assert.equal((await quivoErrorFromResponse(missing)).code, 'NOT_FOUND');
  // The policy classified a clone, so the app can still read the body itself.
  assert.equal(await missing.text(), 'Order with ID 1 not found');

  // A 503 on a GET: the policy retries it after a short backoff; the app sees only the 200.
  sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '503' });
  const stock = await quivoFetch(`${baseURL}/stock`);
  assert.equal(stock.status, 200);
  assert.ok(Array.isArray(await stock.json()));
  assert.deepEqual(retried, ['SERVICE_UNAVAILABLE']);
  console.log('503 on GET /stock: retried, the app got', stock.status);

  // A backend validation error is not retried (retrying cannot fix the body).
  const invalid = await quivoFetch(`${baseURL}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderIdentifier: 'WEB-2002' }),
  });
  const invalidError = await quivoErrorFromResponse(invalid);
  assert.equal(invalidError.code, 'BAD_REQUEST');
  assert.equal(invalidError.message, 'positions: must not be null');
  assert.equal(invalidError.attempts, 1);
  console.log('400 on POST /orders:', invalidError.code, '-', invalidError.message);

  // #region fetch-throw
  // Like ky and ofetch: a final response that is not 2xx rejects with its QuivoError.
  const strictFetch = createQuivoFetch(policy, { throwHttpErrors: true });

  /** The order, or undefined when there is none. */
  async function findOrder(/** @type {number} */ id) {
    try {
      return await (await strictFetch(`${baseURL}/orders/${id}`)).json();
    } catch (err) {
      if (isQuivoError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err; // THROTTLED after every retry, AUTH_FAILED, ...: not ours to hide
    }
  }
  // #endregion
  assert.equal(await findOrder(1), undefined);
  assert.equal((await findOrder(order.id))?.orderIdentifier, 'WEB-2001');

  // Or per request, on the fetch-semantics wrapper (`quivoInit` only types the `quivo` field).
  await assert.rejects(
    quivoFetch(`${baseURL}/orders/1`, quivoInit({ quivo: { throwHttpErrors: true } })),
    (err) => isQuivoError(err) && err.code === 'NOT_FOUND' && err.status === 404,
  );
  console.log('throwHttpErrors: 404 rejected with a QuivoError NOT_FOUND');

  assert.equal(sim.stats().logins, 1, 'both wrappers share the policy, hence its token');
  console.log('logins:', sim.stats().logins);
  policy.close();
} finally {
  await sim.close();
}
