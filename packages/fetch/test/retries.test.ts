import type { QuivoError, RetryEvent, ThrottleEvent } from '@quivo-resilience/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quivoInit } from '../src/index.js';
import { orderInit, startSimulatedQuivo, until, type SimulatedQuivo } from './support/simulated-quivo.js';

let q: SimulatedQuivo;
afterEach(() => q.close());

describe('retries through the wrapper', () => {
  beforeEach(async () => {
    q = await startSimulatedQuivo();
  });

  it('a throttled POST is retried after its backoff (429 never reached the backend), and the limiter slows down', async () => {
    const { policy, quivoFetch } = q.connect({ rateLimit: { adaptive: true } });
    const retries: RetryEvent[] = [];
    const throttles: ThrottleEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    policy.onThrottle((event) => throttles.push(event));
    await quivoFetch(`${q.sim.url}/stock`);
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'throttle' });

    const pending = quivoFetch(`${q.sim.url}/orders`, orderInit('throttled-1'));
    await until(() => retries.length === 1, 'the retry to be scheduled');
    expect(retries[0]).toMatchObject({ attempt: 1, method: 'POST', error: { code: 'THROTTLED' } });
    expect(throttles).toHaveLength(1);
    expect(throttles[0]!.rate).toBeLessThan(throttles[0]!.previousRate);
    await q.clock.advance(retries[0]!.delayMs);
    // The slowed limiter may hold the replay a little longer; it waits on the same clock.
    while (q.sim.stats().byRoute['POST /orders']?.[201] === undefined) await q.clock.advance(100);

    const response = await pending;
    expect(response.status).toBe(201);
    expect(q.sim.stats().byRoute['POST /orders']).toEqual({ 429: 1, 201: 1 });
    expect(q.sim.stats().ordersCreated).toBe(1);
  });

  it('a POST that meets a 504 is not retried: one order, no duplicate, and the 504 comes back readable', async () => {
    const { quivoFetch } = q.connect();
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' });
    const response = await quivoFetch(`${q.sim.url}/orders`, orderInit('timeout-1'));
    expect(response.status).toBe(504);
    expect(await response.json()).toEqual({ message: 'Endpoint request timed out' });
    const stats = q.sim.stats();
    expect(stats.byRoute['POST /orders']).toEqual({ 504: 1 });
    expect(stats.ordersCreated).toBe(1);
    expect(stats.duplicateOrders).toBe(0);
  });

  it('with throwHttpErrors the 504 rejects with INTEGRATION_TIMEOUT and says why it was not retried', async () => {
    const { quivoFetch } = q.connect({}, { throwHttpErrors: true });
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' });
    const error = (await quivoFetch(`${q.sim.url}/orders`, orderInit('timeout-2')).catch((e: unknown) => e)) as QuivoError;
    expect(error).toMatchObject({ name: 'QuivoError', code: 'INTEGRATION_TIMEOUT', status: 504, method: 'POST', attempts: 1 });
    expect(error.trail.map((t) => t.reason)).toEqual(['no retry: outcome unknown for POST']);
    expect(q.sim.stats().duplicateOrders).toBe(0);
  });

  it('a GET that meets a 504 is retried, since reading twice is safe', async () => {
    const { policy, quivoFetch } = q.connect();
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    q.sim.faults.push({ match: { method: 'GET', path: '/orders' }, fault: '504' });
    const pending = quivoFetch(`${q.sim.url}/orders`);
    await until(() => retries.length === 1, 'the retry');
    await q.clock.advance(retries[0]!.delayMs);
    expect((await pending).status).toBe(200);
    expect(q.sim.stats().byRoute['GET /orders']).toEqual({ 504: 1, 200: 1 });
  });

  it('a stream body is sent once and not retried, and the error says the body is a stream', async () => {
    const { quivoFetch } = q.connect({}, { throwHttpErrors: true });
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'throttle' });
    const body = new Blob([JSON.stringify({ orderIdentifier: 'stream-1', positions: [] })]).stream();
    const init = { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit;
    const error = (await quivoFetch(`${q.sim.url}/orders`, init).catch((e: unknown) => e)) as QuivoError;
    expect(error).toMatchObject({ code: 'THROTTLED', attempts: 1 });
    expect(error.trail.map((t) => t.reason)).toEqual(['no retry: request body is a stream']);
    expect(q.sim.stats().byRoute['POST /orders']).toEqual({ 429: 1 });
  });
});

describe('shared limits', () => {
  beforeEach(async () => {
    q = await startSimulatedQuivo();
  });

  it('the retry budget is shared by the requests of a policy: once spent, a failure comes back without retry', async () => {
    const { policy, quivoFetch } = q.connect({ retry: { budget: { capacity: 5, retryCost: 5 } } }, { throwHttpErrors: true });
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    q.sim.faults.push({ match: { path: '/stock' }, fault: '503', times: 3 });

    const first = quivoFetch(`${q.sim.url}/stock`).catch((e: unknown) => e as QuivoError);
    await until(() => retries.length === 1, 'the one retry the budget allows');
    await q.clock.advance(retries[0]!.delayMs);
    expect(await first).toMatchObject({ code: 'SERVICE_UNAVAILABLE', attempts: 2 });

    const second = (await quivoFetch(`${q.sim.url}/stock`).catch((e: unknown) => e)) as QuivoError;
    expect(second).toMatchObject({ code: 'SERVICE_UNAVAILABLE', attempts: 1 });
    expect(second.trail.map((t) => t.reason)).toEqual(['no retry: the retry budget is spent (too many recent failures)']);
  });

  it('init.quivo.timeoutMs bounds an attempt; a POST that timed out is not replayed', async () => {
    const { quivoFetch } = q.connect();
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'latency', latencyMs: 60_000 });
    const init = quivoInit({ ...orderInit('slow-1'), quivo: { timeoutMs: 1000 } });
    const pending = quivoFetch(`${q.sim.url}/orders`, init).catch((e: unknown) => e as QuivoError);
    await until(() => q.sim.stats().inFlight === 1, 'the request to arrive');
    await q.clock.advance(1000);
    expect(await pending).toMatchObject({ code: 'TIMEOUT', method: 'POST', attempts: 1 });
  });
});

describe('Retry-After', () => {
  beforeEach(async () => {
    q = await startSimulatedQuivo({ retryAfterSeconds: 3 });
  });

  it('is honoured: the replay waits exactly that long', async () => {
    const { policy, quivoFetch } = q.connect();
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    q.sim.faults.push({ match: { path: '/stock' }, fault: 'throttle' });

    const pending = quivoFetch(`${q.sim.url}/stock`);
    await until(() => retries.length === 1, 'the retry');
    expect(retries[0]!.delayMs).toBe(3000);
    await q.clock.advance(2999);
    expect(q.sim.stats().byRoute['GET /stock']).toEqual({ 429: 1 });
    await q.clock.advance(1);
    expect((await pending).status).toBe(200);
    expect(q.sim.stats().byRoute['GET /stock']).toEqual({ 429: 1, 200: 1 });
  });

  it('a Retry-After past the deadline is not waited for: the 429 comes back at once', async () => {
    const { quivoFetch } = q.connect({ retry: { maxElapsedMs: 2000 } });
    q.sim.faults.push({ match: { path: '/stock' }, fault: 'throttle' });
    const response = await quivoFetch(`${q.sim.url}/stock`);
    expect(response.status).toBe(429);
    expect(q.sim.stats().byRoute['GET /stock']).toEqual({ 429: 1 });
  });
});

describe('no response', () => {
  beforeEach(async () => {
    q = await startSimulatedQuivo();
  });

  it("a refused connection rejects with NETWORK, its cause Node fetch's own TypeError", async () => {
    const { quivoFetch } = q.connect({ retry: false });
    await quivoFetch(`${q.sim.url}/stock`);
    const url = `${q.sim.url}/stock`;
    await q.sim.close();
    const error = (await quivoFetch(url).catch((e: unknown) => e)) as QuivoError;
    expect(error).toMatchObject({ name: 'QuivoError', code: 'NETWORK', method: 'GET', attempts: 1 });
    expect(error.cause).toBeInstanceOf(TypeError);
    expect((error.cause as TypeError).message).toBe('fetch failed');
  });
});
