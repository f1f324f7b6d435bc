import { describe, expect, it } from 'vitest';
import { decideRetry, type DecisionInput } from './decide-retry.js';
import { POLICY_DEFAULTS } from './options.js';
import { toQuivoError } from './to-quivo-error.js';

const retry = { ...POLICY_DEFAULTS.retry, budget: false as const };

function gateway(status: number, errorType: string | undefined, message: string, method: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (errorType) headers['x-amzn-ErrorType'] = errorType;
  return toQuivoError({ status, headers, body: { message }, method, url: 'https://api.quivo.test/orders' });
}

function input(overrides: Partial<DecisionInput> & Pick<DecisionInput, 'error' | 'method'>): DecisionInput {
  return {
    retry,
    retriesMade: 0,
    refreshed: false,
    usesSessionToken: true,
    retryDisabled: false,
    retryUnsafe: false,
    notReplayable: undefined,
    redirected: false,
    retryAfterMs: undefined,
    remainingMs: 60_000,
    random: 0.5,
    pacedByLimiter: false,
    ...overrides,
  };
}

const throttled = gateway(429, 'TooManyRequestsException', 'Too Many Requests', 'POST');
const timedOut = (method: string) => gateway(504, undefined, 'Endpoint request timed out', method);

describe('decideRetry', () => {
  it('retries a throttled POST: it never reached the backend', () => {
    expect(decideRetry(input({ error: throttled, method: 'POST' }))).toEqual({ action: 'retry', delayMs: 250, reason: 'retry: THROTTLED (429)' });
  });

  it('backs off from 500 ms after a throttle and from 100 ms otherwise', () => {
    expect(decideRetry(input({ error: throttled, method: 'POST', retriesMade: 2, random: 0.5 }))).toMatchObject({ delayMs: 1000 });
    expect(decideRetry(input({ error: timedOut('GET'), method: 'GET', retriesMade: 2, random: 0.5 }))).toMatchObject({ delayMs: 200 });
  });

  it('leaves the pacing of a first throttled retry to the limiter, and backs off from a second 429', () => {
    expect(decideRetry(input({ error: throttled, method: 'POST', pacedByLimiter: true }))).toEqual({
      action: 'retry',
      delayMs: 0,
      reason: 'retry: THROTTLED (429), paced by the rate limiter',
    });
    expect(decideRetry(input({ error: throttled, method: 'POST', pacedByLimiter: true, retryAfterMs: 3000 }))).toEqual({
      action: 'retry',
      delayMs: 3000,
      reason: 'retry: THROTTLED (429), Retry-After honoured',
    });
    expect(decideRetry(input({ error: timedOut('GET'), method: 'GET', pacedByLimiter: true }))).toMatchObject({ delayMs: 50 });
    expect(decideRetry(input({ error: throttled, method: 'POST', pacedByLimiter: true, retriesMade: 3 }))).toMatchObject({ action: 'give-up' });
  });

  it('does not replay a POST whose outcome is unknown, unless told to', () => {
    expect(decideRetry(input({ error: timedOut('POST'), method: 'POST' }))).toEqual({ action: 'give-up', reason: 'no retry: outcome unknown for POST' });
    expect(decideRetry(input({ error: timedOut('POST'), method: 'POST', retryUnsafe: true }))).toMatchObject({ action: 'retry' });
    expect(decideRetry(input({ error: timedOut('PUT'), method: 'PUT' }))).toMatchObject({ action: 'retry' });
  });

  it('fails fast on a used-up quota, and waits only for a Retry-After within budget', () => {
    const quota = gateway(429, 'LimitExceededException', 'Limit Exceeded', 'GET');
    expect(decideRetry(input({ error: quota, method: 'GET' }))).toMatchObject({ action: 'give-up' });
    expect(decideRetry(input({ error: quota, method: 'GET', retryAfterMs: 2000 }))).toMatchObject({ action: 'retry', delayMs: 2000 });
    expect(decideRetry(input({ error: quota, method: 'GET', retryAfterMs: 3_600_000 }))).toMatchObject({ action: 'give-up' });
  });

  it('honours Retry-After capped by maxDelayMs, and gives up at once when it passes the deadline', () => {
    expect(decideRetry(input({ error: throttled, method: 'POST', retryAfterMs: 3000 }))).toMatchObject({ action: 'retry', delayMs: 3000 });
    expect(decideRetry(input({ error: throttled, method: 'POST', retryAfterMs: 40_000 }))).toMatchObject({ action: 'retry', delayMs: 20_000 });
    expect(decideRetry(input({ error: throttled, method: 'POST', retryAfterMs: 120_000 }))).toMatchObject({ action: 'give-up' });
    expect(decideRetry(input({ error: throttled, method: 'POST', retryAfterMs: 5000, remainingMs: 4000 }))).toMatchObject({
      action: 'give-up',
      reason: expect.stringContaining('deadline'),
    });
  });

  it('refreshes once on a 401, then gives up', () => {
    const expired = gateway(401, 'UnauthorizedException', 'The incoming token has expired', 'POST');
    expect(decideRetry(input({ error: expired, method: 'POST' }))).toEqual({ action: 'refresh', reason: 'refresh: TOKEN_EXPIRED' });
    expect(decideRetry(input({ error: expired, method: 'POST', refreshed: true }))).toMatchObject({ action: 'give-up' });
    expect(decideRetry(input({ error: expired, method: 'POST', usesSessionToken: false }))).toMatchObject({ action: 'give-up' });
  });

  it('replays a POST after the gateway refused its token, but not after the backend did', () => {
    const fromGateway = gateway(401, 'UnauthorizedException', 'Unauthorized', 'POST');
    const fromBackend = toQuivoError({ status: 401, headers: { 'content-type': 'text/plain' }, body: 'Your session has ended', method: 'POST' });
    expect(decideRetry(input({ error: fromGateway, method: 'POST' }))).toMatchObject({ action: 'refresh' });
    expect(decideRetry(input({ error: fromBackend, method: 'POST' }))).toMatchObject({ action: 'give-up', reason: expect.stringContaining('backend refused POST') });
    expect(decideRetry(input({ error: fromBackend, method: 'GET' }))).toMatchObject({ action: 'refresh' });
  });

  it('never retries a 4xx answer', () => {
    for (const [status, type, message] of [
      [400, 'BadRequestException', 'Invalid request body'],
      [403, 'ForbiddenException', 'Forbidden'],
      [403, 'AccessDeniedException', 'User is not authorized'],
    ] as const) {
      expect(decideRetry(input({ error: gateway(status, type, message, 'GET'), method: 'GET' }))).toMatchObject({ action: 'give-up' });
    }
  });

  it('never sends a POST again once it was answered with a redirect, whatever befell the next hop', () => {
    const gatewayUnauthorized = gateway(401, 'UnauthorizedException', 'Unauthorized', 'POST');
    const refused = toQuivoError({ method: 'POST', url: 'https://api.quivo.test/orders', cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    for (const error of [throttled, gatewayUnauthorized, refused]) {
      expect(decideRetry(input({ error, method: 'POST' })).action).not.toBe('give-up');
      expect(decideRetry(input({ error, method: 'POST', redirected: true }))).toEqual({ action: 'give-up', reason: 'no retry: POST was answered with a redirect, so it has run' });
    }
    // A GET may be sent again, and so may a POST the caller declared safe to repeat.
    expect(decideRetry(input({ error: throttled, method: 'GET', redirected: true })).action).toBe('retry');
    expect(decideRetry(input({ error: throttled, method: 'POST', redirected: true, retryUnsafe: true })).action).toBe('retry');
  });

  it('stops after the configured retries, for a body it cannot replay, and when retries are off', () => {
    expect(decideRetry(input({ error: throttled, method: 'POST', retriesMade: 3 }))).toEqual({ action: 'give-up', reason: 'no retry: 3 retries used' });
    expect(decideRetry(input({ error: throttled, method: 'POST', notReplayable: 'request body is a stream' }))).toEqual({
      action: 'give-up',
      reason: 'no retry: request body is a stream',
    });
    expect(decideRetry(input({ error: throttled, method: 'POST', retryDisabled: true }))).toMatchObject({ action: 'give-up' });
  });
});
