import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import { call, CREDENTIALS, describeResponse, startForTest } from './test-helpers.js';

const TOO_MANY = {
  status: 429,
  type: 'application/json',
  errorType: 'TooManyRequestsException',
  body: '{"message":"Too Many Requests"}',
};
const LIMIT_EXCEEDED = {
  status: 429,
  type: 'application/json',
  errorType: 'LimitExceededException',
  body: '{"message":"Limit Exceeded"}',
};

describe('usage plan throttle (token bucket per API key)', () => {
  it('serves a burst, then 429 Too Many Requests without Retry-After, refilling with the clock', async () => {
    const clock = createManualClock();
    const sim = await startForTest({ clock, throttle: { rate: 2, burst: 3 } });
    const token = sim.issueToken();

    const burst = await Promise.all([1, 2, 3].map(() => call(sim, 'GET', '/stock', { token })));
    expect(burst.map((res) => res.status)).toEqual([200, 200, 200]);
    const throttled = await call(sim, 'GET', '/stock', { token });
    expect(throttled.headers.get('retry-after')).toBeNull();
    expect(await describeResponse(throttled)).toEqual(TOO_MANY);

    clock.advance(499);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(429);
    clock.advance(1);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(429);
    expect(sim.stats().throttled).toBe(3);
  });

  it('keeps a separate bucket for each API key', async () => {
    const sim = await startForTest({ clock: createManualClock(), apiKeys: ['a', 'b'], throttle: { rate: 1, burst: 1 } });
    const token = sim.issueToken();

    expect((await call(sim, 'GET', '/stock', { apiKey: 'a', token })).status).toBe(200);
    expect((await call(sim, 'GET', '/stock', { apiKey: 'a', token })).status).toBe(429);
    expect((await call(sim, 'GET', '/stock', { apiKey: 'b', token })).status).toBe(200);
  });

  it('throttles POST /login with the same key by default, and not with throttleLogin: false', async () => {
    const throttled = await startForTest({ clock: createManualClock(), throttle: { rate: 1, burst: 1 } });
    const exempt = await startForTest({ clock: createManualClock(), throttle: { rate: 1, burst: 1 }, throttleLogin: false });

    expect((await call(throttled, 'POST', '/login', { body: CREDENTIALS })).status).toBe(200);
    expect(await describeResponse(await call(throttled, 'POST', '/login', { body: CREDENTIALS }))).toEqual(TOO_MANY);
    for (const _ of [1, 2, 3]) expect((await call(exempt, 'POST', '/login', { body: CREDENTIALS })).status).toBe(200);
  });

  it('checks the token before the usage plan: a 401 does not use up the bucket', async () => {
    const sim = await startForTest({ clock: createManualClock(), throttle: { rate: 1, burst: 1 } });

    expect((await call(sim, 'GET', '/stock')).status).toBe(401);
    expect((await call(sim, 'GET', '/stock', { token: sim.issueToken() })).status).toBe(200);
  });

  it('adds Retry-After when retryAfterSeconds is set', async () => {
    const sim = await startForTest({ clock: createManualClock(), throttle: { rate: 1, burst: 1 }, retryAfterSeconds: 2 });
    const token = sim.issueToken();

    await call(sim, 'GET', '/stock', { token });
    const res = await call(sim, 'GET', '/stock', { token });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('2');
  });
});

describe('usage plan quota', () => {
  it('answers 429 Limit Exceeded past the limit until the next window', async () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const sim = await startForTest({ clock, quota: { limit: 2, windowMs: 60_000 } });
    const token = sim.issueToken();

    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    const over = await call(sim, 'GET', '/stock', { token });
    expect(over.headers.get('retry-after')).toBeNull();
    expect(await describeResponse(over)).toEqual(LIMIT_EXCEEDED);

    clock.advance(59_999);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(429);
    clock.advance(1);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
  });

  it('does not spend quota on throttled requests', async () => {
    const clock = createManualClock(Date.UTC(2025, 0, 1));
    const sim = await startForTest({ clock, throttle: { rate: 1, burst: 1 }, quota: { limit: 2, windowMs: 3_600_000 } });
    const token = sim.issueToken();

    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    for (const _ of [1, 2, 3]) expect((await call(sim, 'GET', '/stock', { token })).status).toBe(429);
    clock.advance(1000);
    expect((await call(sim, 'GET', '/stock', { token })).status).toBe(200);
    clock.advance(1000);
    expect(await describeResponse(await call(sim, 'GET', '/stock', { token }))).toEqual(LIMIT_EXCEEDED);
  });
});
