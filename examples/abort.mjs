// @ts-check
/**
 * Cancelling a request while the policy waits to retry it.
 *
 * The caller's AbortSignal ends every wait at once: the limiter queue, a login, and the
 * backoff before a retry. The request rejects with `ABORTED` and no further attempt is sent.
 *
 * Shows, against a local simulator whose 429s carry `Retry-After: 5`: a throttled request
 * (through fetch, then through axios) is aborted during its 5 s backoff; it rejects with
 * ABORTED right away, and the simulator never sees a second attempt.
 *
 * Run: node examples/abort.mjs
 */
import assert from 'node:assert/strict';
import axios from 'axios';
import { attachQuivo } from '@quivo-resilience/axios';
import { createQuivoPolicy, isQuivoError } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import { SIMULATOR_DEFAULTS, startQuivoSimulator } from '@quivo-resilience/simulator';

setTimeout(() => {
  console.error('abort: no result after 30 s');
  process.exit(1);
}, 30_000).unref();

// Retry-After makes the backoff a known 5 s instead of a random (jittered) wait.
const sim = await startQuivoSimulator({ retryAfterSeconds: 5 });
const baseURL = sim.url;
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

try {
  const policy = createQuivoPolicy({ baseURL, apiKey, credentials });
  const quivoFetch = createQuivoFetch(policy);
  const quivo = axios.create({ baseURL });
  attachQuivo(quivo, policy);

  // #region abort
  /** The stock list, or undefined when the user cancelled (even in the middle of a backoff). */
  async function loadStock(/** @type {AbortSignal} */ signal) {
    try {
      const { data } = await quivo.get('/stock', { signal });
      return data;
    } catch (err) {
      if (isQuivoError(err) && err.code === 'ABORTED') return undefined; // nothing to report
      throw err;
    }
  }
  // #endregion

  // The user cancels 50 ms after the policy has started its 5 s wait before a retry.
  /** @type {AbortController} */
  let controller = new AbortController();
  let backoffStarted = 0;
  policy.onRetry(({ delayMs }) => {
    assert.equal(delayMs, 5_000, 'the Retry-After was honoured');
    backoffStarted = performance.now();
    setTimeout(() => controller.abort(new Error('the user left the page')), 50);
  });
  /** Five 429s queued for GET /stock: any attempt after the first would take one. */
  const throttleStock = () => {
    sim.faults.clear();
    sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: 'throttle', times: 5 });
    sim.resetStats();
  };

  // fetch: the error in full.
  throttleStock();
  const err = await quivoFetch(`${baseURL}/stock`, { signal: controller.signal }).catch((/** @type {unknown} */ e) => e);
  assert.ok(isQuivoError(err), 'expected a QuivoError');
  assert.equal(err.code, 'ABORTED');
  assert.equal(err.cause, controller.signal.reason, 'the abort reason is the cause');
  assert.deepEqual(
    err.trail.map((step) => step.reason),
    ['retry: THROTTLED (429), Retry-After honoured', 'aborted waiting to retry'],
  );
  // One attempt reached the simulator (the 429); the retry never left the client.
  assert.deepEqual(sim.stats().byRoute['GET /stock'], { 429: 1 });
  assert.equal(sim.faults.pending, 4, 'four scripted 429s still unused');
  console.log(`fetch: ${err.code} ${Math.round(performance.now() - backoffStarted)} ms into a 5000 ms backoff; trail: ${err.trail.map((s) => s.reason).join(' | ')}`);

  // axios, through the snippet above.
  throttleStock();
  controller = new AbortController();
  assert.equal(await loadStock(controller.signal), undefined);
  assert.deepEqual(sim.stats().byRoute['GET /stock'], { 429: 1 });
  assert.equal(sim.faults.pending, 4);
  console.log(`axios: cancelled ${Math.round(performance.now() - backoffStarted)} ms into a 5000 ms backoff; the simulator saw 1 attempt`);
  policy.close();
} finally {
  await sim.close();
}
