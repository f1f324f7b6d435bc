import { describe, expect, it } from 'vitest';
import { call, CREDENTIALS, login, newOrder, startForTest } from './test-helpers.js';

describe('stats()', () => {
  it('counts requests by route and status', async () => {
    const sim = await startForTest();
    const token = await login(sim);
    await call(sim, 'POST', '/orders', { token, body: newOrder('S-1') });
    await call(sim, 'POST', '/orders', { token, body: {} });
    await call(sim, 'GET', '/orders/1', { token });
    await call(sim, 'GET', '/nowhere');

    expect(sim.stats()).toMatchObject({
      requests: 5,
      byRoute: {
        'POST /login': { 200: 1 },
        'POST /orders': { 201: 1, 400: 1 },
        'GET /orders/{id}': { 404: 1 },
        unmatched: { 403: 1 },
      },
      byStatus: { 200: 1, 201: 1, 400: 1, 404: 1, 403: 1 },
      logins: 1,
      ordersCreated: 1,
      duplicateOrders: 0,
      throttled: 0,
      faultsServed: {},
      resets: 0,
    });
  });

  it('reports peak concurrency of requests handled at once', async () => {
    const release: Array<() => void> = [];
    const sim = await startForTest({
      sleep: () => new Promise<void>((resolve) => release.push(resolve)),
      faults: [{ fault: 'latency', times: 3 }],
    });
    const token = sim.issueToken();

    const pending = [1, 2, 3].map(() => call(sim, 'GET', '/stock', { token }));
    await expect.poll(() => release.length).toBe(3);
    expect(sim.stats()).toMatchObject({ inFlight: 3, peakConcurrency: 3 });
    for (const resolve of release) resolve();
    expect((await Promise.all(pending)).map((res) => res.status)).toEqual([200, 200, 200]);

    await expect.poll(() => sim.stats().inFlight).toBe(0);
    expect(sim.stats().peakConcurrency).toBe(3);
  });

  it('counts a request in flight until its handler is done, even after the client hung up', async () => {
    const release: Array<() => void> = [];
    const sim = await startForTest({
      sleep: () => new Promise<void>((resolve) => release.push(resolve)),
      faults: [{ fault: 'latency' }],
    });
    const client = new AbortController();
    const sent = call(sim, 'POST', '/orders', { token: sim.issueToken(), body: { orderIdentifier: 'gone-1', positions: [{ sku: 'QV-1001', quantity: 1 }] }, signal: client.signal }).catch(() => 'aborted');
    await expect.poll(() => release.length).toBe(1);

    client.abort();
    expect(await sent).toBe('aborted');
    // A full exchange after the hang-up: by its end the server has seen that socket close.
    expect((await call(sim, 'GET', '/stock', { token: sim.issueToken() })).status).toBe(200);
    expect(sim.stats().inFlight).toBe(1);
    release[0]!();

    await expect.poll(() => sim.stats().inFlight).toBe(0);
    expect(sim.stats().ordersCreated).toBe(1);
  });

  it('returns a snapshot that later requests and callers cannot change', async () => {
    const sim = await startForTest();
    const before = sim.stats();
    before.byRoute['POST /login'] = { 200: 99 };

    await call(sim, 'POST', '/login', { body: CREDENTIALS });

    expect(before.requests).toBe(0);
    expect(sim.stats().byRoute).toEqual({ 'POST /login': { 200: 1 } });
  });

  it('resetStats() zeroes the counters but keeps orders and tokens', async () => {
    const sim = await startForTest();
    const token = await login(sim);
    const created = (await (await call(sim, 'POST', '/orders', { token, body: newOrder('K-1') })).json()) as { id: number };

    sim.resetStats();

    expect(sim.stats()).toMatchObject({ requests: 0, byRoute: {}, logins: 0, ordersCreated: 0, peakConcurrency: 0 });
    expect((await call(sim, 'GET', `/orders/${created.id}`, { token })).status).toBe(200);
    await call(sim, 'POST', '/orders', { token, body: newOrder('K-1') });
    expect(sim.stats()).toMatchObject({ ordersCreated: 1, duplicateOrders: 1 });
  });
});
