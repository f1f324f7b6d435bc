import { describe, expect, it } from 'vitest';
import type { FaultKind } from './faults.js';
import type { QuivoSimulator } from './server.js';
import { call, CREDENTIALS, describeResponse, newOrder, startForTest } from './test-helpers.js';

const json = (status: number, body: string, errorType: string | null) => ({ status, type: 'application/json', errorType, body });

const ANSWERS: ReadonlyArray<[FaultKind, ReturnType<typeof json>]> = [
  ['500', json(500, '{"message":"Internal server error"}', 'InternalServerErrorException')],
  ['502', json(502, '{"message":"Internal server error"}', 'InternalServerErrorException')],
  ['503', json(503, '{"message":"Service Unavailable"}', null)],
  ['403', json(403, '{"Message":"User is not authorized to access this resource with an explicit deny"}', 'AccessDeniedException')],
  ['throttle', json(429, '{"message":"Too Many Requests"}', 'TooManyRequestsException')],
  ['quota', json(429, '{"message":"Limit Exceeded"}', 'LimitExceededException')],
  ['expired', json(401, '{"message":"The incoming token has expired"}', 'UnauthorizedException')],
];

async function statusesOf(sim: QuivoSimulator, count: number): Promise<number[]> {
  const token = sim.issueToken();
  const statuses: number[] = [];
  for (let n = 0; n < count; n += 1) statuses.push((await call(sim, 'GET', '/stock', { token })).status);
  return statuses;
}

describe('scripted faults', () => {
  it.each(ANSWERS)('%s answers as API Gateway does, once, without running the backend', async (fault, expected) => {
    const sim = await startForTest();
    const token = sim.issueToken();
    sim.faults.push({ fault });

    expect(await describeResponse(await call(sim, 'POST', '/orders', { token, body: newOrder('F-1') }))).toEqual(expected);
    expect(sim.stats()).toMatchObject({ ordersCreated: 0, faultsServed: { [fault]: 1 } });
    expect((await call(sim, 'POST', '/orders', { token, body: newOrder('F-1') })).status).toBe(201);
  });

  it('html answers a CloudFront error page as text/html', async () => {
    const sim = await startForTest();
    sim.faults.push({ fault: 'html' });

    const res = await call(sim, 'GET', '/stock', { token: sim.issueToken() });

    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toMatch(/^<!DOCTYPE HTML[\s\S]*<TITLE>ERROR: The request could not be satisfied<\/TITLE>/);
  });

  it('504 comes after the backend did the work, so a replayed POST creates a duplicate', async () => {
    const sim = await startForTest();
    const token = sim.issueToken();
    sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' });

    const first = await call(sim, 'POST', '/orders', { token, body: newOrder('ORD-1') });
    expect(await describeResponse(first)).toEqual(json(504, '{"message":"Endpoint request timed out"}', null));
    const replay = await call(sim, 'POST', '/orders', { token, body: newOrder('ORD-1') });

    expect(replay.status).toBe(201);
    expect(sim.stats()).toMatchObject({ ordersCreated: 2, duplicateOrders: 1 });
  });

  it('reset destroys the connection after the backend did the work, and the server keeps serving', async () => {
    const sim = await startForTest();
    const token = sim.issueToken();
    sim.faults.push({ fault: 'reset' });

    await expect(call(sim, 'POST', '/orders', { token, body: newOrder('R-1') })).rejects.toThrow(TypeError);

    expect(sim.stats()).toMatchObject({ ordersCreated: 1, resets: 1, faultsServed: { reset: 1 } });
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
  });

  it('latency waits through the injected sleep, then answers normally', async () => {
    const waits: number[] = [];
    const sim = await startForTest({ latencyMs: 250, sleep: async (ms) => void waits.push(ms) });
    const token = sim.issueToken();
    sim.faults.push({ fault: 'latency' }, { fault: 'latency', latencyMs: 40 });

    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    expect(waits).toEqual([250, 40]);
  });

  it('latency uses a real timer by default', async () => {
    const sim = await startForTest();
    sim.faults.push({ fault: 'latency', latencyMs: 5 });

    expect((await call(sim, 'GET', '/stock', { token: sim.issueToken() })).status).toBe(200);
    expect(sim.stats().faultsServed).toEqual({ latency: 1 });
  });

  it('hits only requests matching method and path (string, route template or RegExp), in queue order', async () => {
    const sim = await startForTest();
    const token = sim.issueToken();
    sim.faults.push(
      { match: { method: 'delete' }, fault: '500' },
      { match: { path: '/orders/{id}' }, fault: '502' },
      { match: { method: 'GET', path: /^\/stock$/ }, fault: '503', times: 2 },
    );

    expect((await call(sim, 'GET', '/orders', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(503);
    expect((await call(sim, 'GET', '/orders/77', { token })).status).toBe(502);
    expect((await call(sim, 'GET', '/orders/77', { token })).status).toBe(404);
    expect(sim.faults.pending).toBe(2);
    expect((await call(sim, 'DELETE', '/orders/77', { token })).status).toBe(500);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(503);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    expect(sim.faults.pending).toBe(0);
  });

  it('leaves POST /login alone unless the match names its path', async () => {
    const sim = await startForTest({ faults: [{ fault: '503' }] });

    expect((await call(sim, 'POST', '/login', { body: CREDENTIALS })).status).toBe(200);
    sim.faults.clear();
    sim.faults.push({ match: { path: '/login' }, fault: '503' });
    expect((await call(sim, 'POST', '/login', { body: CREDENTIALS })).status).toBe(503);
  });

  it('rejects invalid entries with a TypeError or RangeError and queues none of the batch', async () => {
    const sim = await startForTest();

    expect(() => sim.faults.push({ fault: '418' as FaultKind })).toThrow(TypeError);
    expect(() => sim.faults.push({ fault: '504' }, { fault: '504', times: 0 })).toThrow(RangeError);
    expect(() => sim.faults.push({ fault: 'latency', latencyMs: -1 })).toThrow(RangeError);
    expect(sim.faults.pending).toBe(0);
  });
});

describe('seeded random faults', () => {
  const probabilities = { fault504: 0.2, fault503: 0.2, throttle: 0.1 };

  it('replays the same faults for the same seed and the same requests', async () => {
    const first = await statusesOf(await startForTest({ random: { seed: 42, probabilities } }), 40);
    const second = await statusesOf(await startForTest({ random: { seed: 42, probabilities } }), 40);
    const otherSeed = await statusesOf(await startForTest({ random: { seed: 7, probabilities } }), 40);

    expect(second).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set([200, 429, 503, 504]));
  });

  it('setFaultRate switches an outage on and off at runtime', async () => {
    const sim = await startForTest();

    expect(await statusesOf(sim, 3)).toEqual([200, 200, 200]);
    sim.setFaultRate({ fault504: 1 });
    expect(await statusesOf(sim, 3)).toEqual([504, 504, 504]);
    sim.setFaultRate({});
    expect(await statusesOf(sim, 3)).toEqual([200, 200, 200]);
    expect(sim.stats().faultsServed).toEqual({ '504': 3 });
  });

  it('spares POST /login unless includeLogin is set', async () => {
    const spared = await startForTest({ random: { probabilities: { fault500: 1 } } });
    const included = await startForTest({ random: { probabilities: { fault500: 1 }, includeLogin: true } });

    expect((await call(spared, 'POST', '/login', { body: CREDENTIALS })).status).toBe(200);
    expect((await call(included, 'POST', '/login', { body: CREDENTIALS })).status).toBe(500);
  });

  it('rejects rates outside [0, 1], adding up past 1, or naming no fault', async () => {
    const sim = await startForTest();

    expect(() => sim.setFaultRate({ fault504: 1.5 })).toThrow(RangeError);
    expect(() => sim.setFaultRate({ fault504: 0.6, reset: 0.6 })).toThrow(RangeError);
    expect(() => sim.setFaultRate({ fault999: 0.1 } as never)).toThrow(TypeError);
  });
});
