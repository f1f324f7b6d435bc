import type { RetryEvent } from '@quivo-resilience/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedQuivo, until, type SimulatedQuivo } from './support/simulated-quivo.js';
import { rejection } from './support/rejection.js';

let q: SimulatedQuivo;
beforeEach(async () => {
  q = await startSimulatedQuivo();
});
afterEach(() => q.close());


describe('an abort ends every wait at once', () => {
  it('waiting in the rate limiter queue', async () => {
    const { quivoFetch } = q.connect({ rateLimit: { requestsPerSecond: 1, burst: 1 } });
    await quivoFetch(`${q.sim.url}/stock`);
    const controller = new AbortController();
    const queued = rejection(quivoFetch(`${q.sim.url}/stock`, { signal: controller.signal }));
    await until(() => q.clock.pendingDelays().length > 0, 'the request to queue');
    controller.abort();
    expect(await queued).toMatchObject({ code: 'ABORTED' });
    expect(q.sim.stats().byRoute['GET /stock']).toEqual({ 200: 1 });
  });

  it('waiting out a backoff, whose timer is then cleared', async () => {
    const { policy, quivoFetch } = q.connect();
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    q.sim.faults.push({ match: { path: '/stock' }, fault: '503' });
    const controller = new AbortController();
    const backingOff = rejection(quivoFetch(`${q.sim.url}/stock`, { signal: controller.signal }));
    await until(() => retries.length === 1, 'the backoff');
    expect(q.clock.pendingDelays()).toContain(retries[0]!.delayMs);
    const reason = new Error('user left the page');
    controller.abort(reason);
    const error = await backingOff;
    expect(error).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(q.clock.pendingDelays()).not.toContain(retries[0]!.delayMs);
    expect(q.sim.stats().byRoute['GET /stock']).toEqual({ 503: 1 });
  });

  it('waiting for the login, which other requests still get', async () => {
    let releaseLogin: (() => void) | undefined;
    const slowLogin: typeof fetch = async (input, init) => {
      await new Promise<void>((resolve) => (releaseLogin = resolve));
      return fetch(input, init);
    };
    const { quivoFetch } = q.connect({ fetch: slowLogin });
    const controller = new AbortController();
    const waiting = rejection(quivoFetch(`${q.sim.url}/orders`, { signal: controller.signal }));
    const patient = quivoFetch(`${q.sim.url}/orders`);
    await until(() => releaseLogin !== undefined, 'the login to start');
    controller.abort();
    expect(await waiting).toMatchObject({ code: 'ABORTED' });
    releaseLogin!();
    expect((await patient).status).toBe(200);
    expect(q.sim.stats().byRoute['GET /orders']).toEqual({ 200: 1 });
  });

  it('before anything: an aborted signal sends nothing', async () => {
    const { quivoFetch } = q.connect();
    const error = await rejection(quivoFetch(`${q.sim.url}/stock`, { signal: AbortSignal.abort() }));
    expect(error.code).toBe('ABORTED');
    expect(q.sim.stats().requests).toBe(0);
  });

  it('while the response is awaited: rejects ABORTED, with the reason as cause', async () => {
    const sim = q.sim;
    sim.faults.push({ match: { path: '/stock' }, fault: 'latency', latencyMs: 60_000 });
    const { quivoFetch } = q.connect();
    const controller = new AbortController();
    const inFlight = rejection(quivoFetch(`${sim.url}/stock`, { signal: controller.signal }));
    await until(() => sim.stats().inFlight === 1, 'the request to arrive');
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    expect(await inFlight).toMatchObject({ code: 'ABORTED', cause: reason });
  });
});
