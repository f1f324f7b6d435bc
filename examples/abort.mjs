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

// Retry-After makes the backoff a known 5 s, instead of a random jittered wait.
const sim = await startQuivoSimulator({ retryAfterSeconds: 5 });
const baseURL = sim.url;
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

try {
  const policy = createQuivoPolicy({ baseURL, apiKey, credentials });
  const quivoFetch = createQuivoFetch(policy);
  const quivo = axios.create({ baseURL });
  attachQuivo(quivo, policy);

  // Abort shortly after the policy has decided to wait before retrying.
  /** @type {AbortController | undefined} */
  let current;
  let backoffStarted = 0;
  policy.onRetry(({ delayMs }) => {
    assert.equal(delayMs, 5_000, 'the Retry-After was honoured');
    backoffStarted = performance.now();
    setTimeout(() => current?.abort(new Error('the user left the page')), 50);
  });

  for (const [client, send] of /** @type {const} */ ([
    ['fetch', (/** @type {AbortSignal} */ signal) => quivoFetch(`${baseURL}/stock`, { signal })],
    ['axios', (/** @type {AbortSignal} */ signal) => quivo.get('/stock', { signal })],
  ])) {
    sim.faults.clear();
    sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: 'throttle', times: 5 });
    sim.resetStats();

    // #region abort
    const controller = new AbortController();
    current = controller;
    const err = await send(controller.signal).catch((/** @type {unknown} */ e) => e);
    // #endregion

    assert.ok(isQuivoError(err), `${client}: expected a QuivoError`);
    assert.equal(err.code, 'ABORTED');
    assert.equal(err.trail.at(-1)?.reason, 'aborted waiting to retry');
    assert.equal(err.cause, controller.signal.reason, 'the abort reason is the cause');
    // One attempt reached the simulator (the 429); the retry never left the client.
    assert.deepEqual(sim.stats().byRoute['GET /stock'], { 429: 1 });
    assert.equal(sim.faults.pending, 4, 'four scripted throttles still unused');
    console.log(
      `${client}: ${err.code} ${Math.round(performance.now() - backoffStarted)} ms into a 5000 ms backoff;`,
      `simulator saw ${sim.stats().byRoute['GET /stock']?.[429]} attempt; trail: ${err.trail.map((s) => s.reason).join(' | ')}`,
    );
  }
  policy.close();
} finally {
  await sim.close();
}
