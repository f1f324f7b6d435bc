// @ts-check
/**
 * Reading a `QuivoError`: what each field tells you, and what is safe to log.
 *
 * Every failure of a request for the Quivo origin, through axios or fetch, is one error
 * type with a stable `code` (see DESIGN.md "Error codes"): branch on `code`, log `toJSON()`.
 *
 * Shows, against a local simulator:
 * - a 404 through axios: code, status, message, requestId, and `err.cause`, the AxiosError;
 * - a 429 that stayed throttled through every retry, through fetch: `attempts` and `trail`;
 * - a failed login (`AUTH_FAILED`) and a gateway denial (`ACCESS_DENIED`, `Message` with a capital M);
 * - `JSON.stringify(err)` and `util.inspect(err)` hold no API key, password or session token,
 *   while `err.cause` (the client's own error) may: log the QuivoError, not its cause.
 *
 * Run: node examples/reading-errors.mjs
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import axios, { isAxiosError } from 'axios';
import { attachQuivo } from '@quivo-resilience/axios';
import { createQuivoPolicy, isQuivoError } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import { SIMULATOR_DEFAULTS, startQuivoSimulator } from '@quivo-resilience/simulator';

setTimeout(() => {
  console.error('reading-errors: no result after 30 s');
  process.exit(1);
}, 30_000).unref();

const sim = await startQuivoSimulator();
const baseURL = sim.url;
const { apiKey, user: credentials } = SIMULATOR_DEFAULTS;

/**
 * Asserts that nothing a logger would write down holds a secret.
 * @param {unknown} err
 * @param {string[]} secrets
 */
function assertNoSecrets(err, secrets) {
  const logged = [JSON.stringify(err), inspect(err, { depth: Infinity })];
  for (const text of logged) for (const secret of secrets) assert.ok(!text.includes(secret), 'a secret would be logged');
}

/** @param {unknown} err */
function assertQuivoError(err) {
  assert.ok(isQuivoError(err), `expected a QuivoError, got ${String(err)}`);
  return err;
}

try {
  const policy = createQuivoPolicy({ baseURL, apiKey, credentials, retry: { retries: 2, throttleBaseDelayMs: 20 } });
  const quivo = axios.create({ baseURL });
  attachQuivo(quivo, policy);
  const quivoFetch = createQuivoFetch(policy, { throwHttpErrors: true });

  // 1. A backend 404 through axios.
  // #region reading-errors
  try {
    await quivo.get('/orders/12311231');
  } catch (err) {
    if (!isQuivoError(err)) throw err; // a bug of ours, not an HTTP failure
    console.log(err.code, err.status, err.message); // NOT_FOUND 404 Order with ID 12311231 not found
    console.log(err.source, err.retryable, err.outcome); // backend false failed
    console.log(err.requestId); // x-amzn-RequestId: quote it to Quivo support
    console.log(JSON.stringify(err)); // safe to log: no key, password or token
    if (isAxiosError(err.cause)) console.log(err.cause.response?.status); // axios's own error, untouched
  }
  // #endregion
  const notFound = assertQuivoError(await quivo.get('/orders/12311231').catch((e) => e));
  assert.equal(notFound.code, 'NOT_FOUND');
  assert.equal(notFound.status, 404);
  assert.equal(notFound.message, 'Order with ID 12311231 not found');
  assert.equal(notFound.source, 'backend');
  assert.equal(notFound.gatewayErrorType, undefined, 'backend errors carry no x-amzn-ErrorType');
  assert.match(notFound.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(notFound.attempts, 1);
  assert.ok(isAxiosError(notFound.cause));
  assert.equal(notFound.cause.response?.data, 'Order with ID 12311231 not found');
  // axios's error does hold the token: Node's ClientRequest keeps the headers it sent.
  const token = String(notFound.cause.request?.getHeader?.('authorization') ?? '');
  assert.ok(token.length > 20, 'the session token is in err.cause.request');
  assertNoSecrets(notFound, [apiKey, credentials.password, token]);

  // 2. A 429 that outlasts every retry (three throttles for three attempts), through fetch.
  sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: 'throttle', times: 3 });
  const throttled = assertQuivoError(await quivoFetch(`${baseURL}/stock`).catch((e) => e));
  console.log('\nTHROTTLED through fetch:');
  console.log({
    code: throttled.code,
    status: throttled.status,
    message: throttled.message,
    gatewayErrorType: throttled.gatewayErrorType,
    requestId: throttled.requestId,
    attempts: throttled.attempts,
    outcome: throttled.outcome, // not-executed: API Gateway refused it, the backend never saw it
  });
  // With `throwHttpErrors: true` the cause is the final Response, its body unread
  // (`await throttled.cause.json()`). With the default `throwHttpErrors: false` the call
  // resolves with that Response instead of rejecting.
  console.log('cause:', throttled.cause === undefined ? 'none (the Response was freed)' : throttled.cause);
  for (const step of throttled.trail) console.log(`  attempt ${step.attempt}: ${step.code} ${step.status ?? ''} -> ${step.action}${step.delayMs === undefined ? '' : ` after ${step.delayMs} ms`} (${step.reason})`);
  assert.equal(throttled.code, 'THROTTLED');
  assert.equal(throttled.gatewayErrorType, 'TooManyRequestsException');
  assert.equal(throttled.message, 'Too Many Requests');
  assert.equal(throttled.outcome, 'not-executed');
  assert.equal(throttled.attempts, 3);
  assert.deepEqual(throttled.trail.map((s) => s.action), ['retry', 'retry', 'give-up']);
  assert.equal(throttled.trail.at(-1)?.reason, 'no retry: 2 retries used');
  assertNoSecrets(throttled, [apiKey, credentials.password, token]);

  // 3. A gateway denial: IAM's body says `Message`, capital M; the error reads either.
  sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '403' });
  const denied = assertQuivoError(await quivo.get('/stock').catch((e) => e));
  assert.equal(denied.code, 'ACCESS_DENIED');
  assert.equal(denied.gatewayErrorType, 'AccessDeniedException');
  assert.match(denied.message, /not authorized/);
  console.log('\nACCESS_DENIED:', denied.message);

  // 4. A login that fails: every waiting request gets AUTH_FAILED, with the login's error as cause.
  const wrongPassword = 'wrong-password-7f3a';
  const badFetch = createQuivoFetch({ baseURL, apiKey, credentials: { username: credentials.username, password: wrongPassword } });
  const authFailed = assertQuivoError(await badFetch(`${baseURL}/stock`).catch((e) => e));
  assert.equal(authFailed.code, 'AUTH_FAILED');
  assert.equal(sim.stats().byRoute['POST /login']?.[401], 1, 'a refused login is not retried');
  console.log('AUTH_FAILED:', authFailed.message);
  assertNoSecrets(authFailed, [apiKey, credentials.password, wrongPassword]);

  console.log('\nJSON.stringify / util.inspect of every error above: no API key, password or token');
  policy.close();
} finally {
  await sim.close();
}
