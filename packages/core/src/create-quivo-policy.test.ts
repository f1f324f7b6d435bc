import { describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { createQuivoPolicy } from './create-quivo-policy.js';
import type { LoginResult, QuivoPolicyOptions } from './policy-types.js';
import { isQuivoError, type QuivoError } from './quivo-error.js';
import { answers, fakeTransport, type FakeAnswer, type SentAttempt } from './testing/fake-transport.js';
import { useFakeTime } from './testing/fake-time.js';

const BASE = 'https://api.quivo.test';
const ORDERS = `${BASE}/orders`;

/** A Quivo that accepts only the newest token it issued. */
function quivo(extra: (sent: SentAttempt, index: number) => FakeAnswer | undefined = () => undefined) {
  const state = { logins: 0, validToken: '' };
  const transport = fakeTransport((sent, index) => {
    const custom = extra(sent, index);
    if (custom) return custom;
    if (sent.headers['Authorization'] !== state.validToken) return answers.expired();
    return answers.ok({ n: index });
  });
  const login = vi.fn(async (): Promise<LoginResult> => {
    state.logins += 1;
    state.validToken = `token-${state.logins}`;
    return state.validToken;
  });
  return { state, transport, login };
}

function policyFor(server: ReturnType<typeof quivo>, { withoutLogin = false, ...options }: Partial<QuivoPolicyOptions> & { withoutLogin?: boolean } = {}) {
  return createQuivoPolicy({
    baseURL: BASE,
    apiKey: 'key-123456',
    ...(withoutLogin ? {} : { login: server.login }),
    clock: { ...systemClock, random: () => 0.5 },
    ...options,
  });
}

/** Runs the fake clock far enough for every wait of a request, then hands back its outcome. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  // The caller awaits it below; until then a rejection must not count as unhandled.
  promise.catch(() => {});
  await vi.advanceTimersByTimeAsync(120_000);
  return promise;
}

useFakeTime();

describe('token refresh', () => {
  it('refreshes once for 100 requests in flight with an expired token, and all succeed', async () => {
    const server = quivo();
    const policy = policyFor(server);
    await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    server.state.validToken = 'rotated-server-side';

    const results = await Promise.all(
      Array.from({ length: 100 }, () => policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS))),
    );
    expect(server.login).toHaveBeenCalledTimes(2);
    expect(results.every((r) => r.status === 200 && r.error === undefined)).toBe(true);
    expect(server.transport.sent.slice(-100).every((s) => s.headers['Authorization'] === 'token-2')).toBe(true);
  });

  it('makes requests that start during a login wait for it', async () => {
    const server = quivo();
    let release: () => void = () => {};
    server.login.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      server.state.logins += 1;
      server.state.validToken = 'token-1';
      return 'token-1';
    });
    const policy = policyFor(server);
    const first = policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    const second = policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    await vi.advanceTimersByTimeAsync(10);
    expect(server.transport.sent).toHaveLength(0);
    release();
    await Promise.all([first, second]);
    expect(server.transport.sent.map((s) => s.headers['Authorization'])).toEqual(['token-1', 'token-1']);
    expect(server.login).toHaveBeenCalledTimes(1);
  });

  it('replays a 401 for an older token with the current one, without a second login', async () => {
    const server = quivo((sent, index) => (index === 1 ? { ...answers.expired(), delayMs: 500 } : undefined));
    const policy = policyFor(server);
    await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    const slow = policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    server.state.validToken = 'rotated-server-side';
    const fast = policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    await vi.advanceTimersByTimeAsync(1000);
    expect((await fast).status).toBe(200);
    expect((await slow).status).toBe(200);
    expect(server.login).toHaveBeenCalledTimes(2);
    expect(server.transport.sent.at(-1)?.headers['Authorization']).toBe('token-2');
  });

  it('ends with UNAUTHORIZED when the server refuses the fresh token too', async () => {
    const server = quivo(() => answers.unauthorized());
    const policy = policyFor(server);
    const result = await settle(policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)));
    expect(result.status).toBe(401);
    expect(result.error?.code).toBe('UNAUTHORIZED');
    expect(result.error?.attempts).toBe(2);
    expect(result.error?.trail.map((t) => t.action)).toEqual(['refresh', 'give-up']);
    expect(server.login).toHaveBeenCalledTimes(2);
  });

  it('rejects every waiting request with AUTH_FAILED when the login fails, then logs in again', async () => {
    const server = quivo();
    server.login.mockRejectedValueOnce(new Error('cognito is down'));
    const policy = policyFor(server);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS))),
    );
    for (const outcome of outcomes) {
      const error = (outcome as PromiseRejectedResult).reason as QuivoError;
      expect(error.code).toBe('AUTH_FAILED');
      expect((error.cause as Error).message).toBe('cognito is down');
    }
    expect(server.transport.sent).toHaveLength(0);
    const next = await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    expect(next.status).toBe(200);
    expect(server.login).toHaveBeenCalledTimes(2);
  });

  it('does not replay a POST the backend refused with 401, and logs in afresh for the next request', async () => {
    const backend401: FakeAnswer = { status: 401, headers: { 'content-type': 'text/plain' }, body: 'Your session has ended' };
    const server = quivo((_sent, index) => (index === 1 ? backend401 : undefined));
    const policy = policyFor(server);
    await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    const refused = await settle(policy.execute({ method: 'POST', url: ORDERS }, server.transport.sender('POST', ORDERS)));
    expect(refused.error?.code).toBe('UNAUTHORIZED');
    expect(server.transport.sent.filter((s) => s.method === 'POST')).toHaveLength(1);
    const next = await settle(policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)));
    expect(next.status).toBe(200);
    expect(server.login).toHaveBeenCalledTimes(2);
  });

  it('recovers from a custom login that hangs: it times out and is tried again', async () => {
    const server = quivo();
    server.login.mockImplementationOnce(() => new Promise<string>(() => {}));
    const policy = policyFor(server, { timeoutMs: 1000 });
    const result = await settle(policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)));
    expect(result.status).toBe(200);
    expect(server.login).toHaveBeenCalledTimes(2);
  });

  it('reads an expiresAt given in epoch seconds, so it does not log in for every request', async () => {
    const server = quivo();
    server.login.mockImplementation(async () => {
      server.state.logins += 1;
      server.state.validToken = `token-${server.state.logins}`;
      return { token: server.state.validToken, expiresAt: Date.now() / 1000 + 3600 };
    });
    const policy = policyFor(server);
    for (let i = 0; i < 5; i++) await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    expect(server.login).toHaveBeenCalledTimes(1);
  });

  it('sends credentials only to the Quivo origin, and none with auth: false', async () => {
    const server = quivo(() => answers.ok());
    const policy = policyFor(server, { tokenScheme: 'Bearer' });
    const elsewhere = 'https://api.quivo.test.evil.example/orders';
    await policy.execute({ method: 'GET', url: elsewhere }, server.transport.sender('GET', elsewhere));
    await policy.execute({ method: 'GET', url: ORDERS, auth: false }, server.transport.sender('GET', ORDERS));
    await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    // Once a token exists, the other origin and auth: false still get none.
    await policy.execute({ method: 'GET', url: elsewhere }, server.transport.sender('GET', elsewhere));
    await policy.execute({ method: 'GET', url: ORDERS, auth: false }, server.transport.sender('GET', ORDERS));
    expect(server.transport.sent.map((s) => s.headers)).toEqual([
      {},
      {},
      { 'X-Api-Key': 'key-123456', Authorization: 'Bearer token-1' },
      {},
      {},
    ]);
    expect(policy.appliesTo(elsewhere)).toBe(false);
  });
});

describe('retries', () => {
  function scripted(...script: FakeAnswer[]) {
    return quivo((_sent, index) => script[index] ?? answers.ok());
  }

  it('retries a throttled POST after a full-jitter wait from a 500 ms base when no limiter paces it', async () => {
    const server = scripted(answers.throttled(), answers.ok());
    const policy = policyFor(server, { withoutLogin: true, rateLimit: false });
    const delays: number[] = [];
    policy.onRetry((e) => delays.push(e.delayMs));
    const result = await settle(policy.execute({ method: 'POST', url: ORDERS }, server.transport.sender('POST', ORDERS)));
    expect(result.status).toBe(200);
    expect(server.transport.sent).toHaveLength(2);
    expect(delays).toEqual([250]);
  });

  it('sends a first throttled retry as soon as the limiter allows, and backs off from a second 429', async () => {
    const sentAt: number[] = [];
    const script = [answers.throttled(), answers.throttled()];
    const server = quivo((_sent, index) => {
      sentAt.push(Date.now() - start);
      return script[index] ?? answers.ok();
    });
    const policy = policyFor(server, { withoutLogin: true, rateLimit: { requestsPerSecond: 10, burst: 1 } });
    const delays: number[] = [];
    policy.onRetry((e) => delays.push(e.delayMs));
    const start = Date.now();
    const result = await settle(policy.execute({ method: 'POST', url: ORDERS }, server.transport.sender('POST', ORDERS)));
    expect(result.status).toBe(200);
    // The 429 empties the bucket: the retry waits for its next token (100 ms at 10/s), no backoff on top.
    expect(sentAt.slice(0, 2)).toEqual([0, 100]);
    expect(result.attempts).toBe(3);
    // The second 429 backs off: full jitter from 2 x 500 ms, at random 0.5.
    expect(delays).toEqual([0, 500]);
    expect(sentAt[2]).toBeGreaterThanOrEqual(600);
  });

  it('does not replay a POST after a 504 (the order may exist), unless retryUnsafe says so', async () => {
    const server = scripted(answers.timeout504(), answers.ok(), answers.timeout504(), answers.ok());
    const policy = policyFor(server, { withoutLogin: true });
    const refused = await settle(policy.execute({ method: 'POST', url: ORDERS }, server.transport.sender('POST', ORDERS)));
    expect(refused.error?.code).toBe('INTEGRATION_TIMEOUT');
    expect(refused.error?.trail).toEqual([{ attempt: 1, code: 'INTEGRATION_TIMEOUT', status: 504, action: 'give-up', reason: 'no retry: outcome unknown for POST' }]);
    expect(server.transport.sent).toHaveLength(1);

    server.transport.sent.length = 0;
    const unsafe = createQuivoPolicy({ baseURL: BASE, retry: { retryUnsafe: true }, clock: { ...systemClock, random: () => 0.5 } });
    const replayed = await settle(unsafe.execute({ method: 'POST', url: ORDERS }, server.transport.sender('POST', ORDERS)));
    expect(replayed.status).toBe(200);
    const perRequest = await settle(policy.execute({ method: 'POST', url: ORDERS, retryUnsafe: true }, server.transport.sender('POST', ORDERS)));
    expect(perRequest.status).toBe(200);
  });

  it('honours Retry-After in seconds and as an HTTP date, capped by maxDelayMs', async () => {
    // The second answer comes 3 s in (after the first wait); its date asks for 2 s more.
    const inTwoSeconds = new Date(Date.now() + 5000).toUTCString();
    const server = scripted(answers.throttled({ 'Retry-After': '3' }), answers.throttled({ 'Retry-After': inTwoSeconds }), answers.throttled({ 'Retry-After': '30' }));
    const policy = policyFor(server, { withoutLogin: true, retry: { maxDelayMs: 10_000 } });
    const delays: number[] = [];
    policy.onRetry((e) => delays.push(e.delayMs));
    await settle(policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)));
    expect(delays).toEqual([3000, 2000, 10_000]);
  });

  it('fails at once when Retry-After reaches past the remaining budget', async () => {
    const server = scripted(answers.throttled({ 'Retry-After': '120' }));
    const policy = policyFor(server, { withoutLogin: true, retry: { maxDelayMs: 300_000 } });
    const started = Date.now();
    const result = await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    expect(Date.now() - started).toBe(0);
    expect(result.error?.code).toBe('THROTTLED');
    expect(result.error?.trail[0]?.reason).toMatch(/would pass the deadline/);
  });

  it('never overruns the deadline, however slow the answers', async () => {
    const server = quivo(() => ({ ...answers.unavailable(), delayMs: 700 }));
    const policy = policyFor(server, { withoutLogin: true, retry: { retries: 10, maxElapsedMs: 2000 } });
    const started = Date.now();
    let endedAt = 0;
    const pending = policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)).finally(() => (endedAt = Date.now()));
    const error = await settle(pending).catch((e: unknown) => e);
    expect(endedAt - started).toBe(2000);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'the request deadline of 2000 ms passed' });
    expect(server.transport.sent.length).toBe(3);
  });

  it('times out a silent attempt with TIMEOUT and retries a GET', async () => {
    const server = scripted({ status: 200, delayMs: 60_000 }, answers.ok());
    const policy = policyFor(server, { withoutLogin: true, timeoutMs: 1000 });
    const result = await settle(policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)));
    expect(result.status).toBe(200);
    expect(server.transport.sent).toHaveLength(2);
  });

  it('charges the retry budget nothing for throttled retries: they never reached the backend', async () => {
    const server = scripted(answers.throttled(), answers.throttled(), answers.ok());
    const policy = policyFor(server, { withoutLogin: true, retry: { budget: { capacity: 0 } } });
    const result = await settle(policy.execute({ method: 'POST', url: ORDERS }, server.transport.sender('POST', ORDERS)));
    expect(result.status).toBe(200);
    expect(server.transport.sent).toHaveLength(3);
  });

  it('sends a body that cannot be replayed once, and says why it was not retried', async () => {
    const server = scripted(answers.unavailable(), answers.ok());
    const policy = policyFor(server, { withoutLogin: true });
    const result = await settle(policy.execute({ method: 'PUT', url: ORDERS, notReplayable: 'request body is a stream' }, server.transport.sender('PUT', ORDERS)));
    expect(server.transport.sent).toHaveLength(1);
    expect(result.error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(result.error?.message).toBe('Service Unavailable (not retried: request body is a stream)');
  });

  it('stops retrying against a dead upstream once the retry budget is spent', async () => {
    const server = quivo(() => answers.unavailable());
    const policy = policyFor(server, { withoutLogin: true, retry: { budget: { capacity: 50, retryCost: 5 } } });
    for (let i = 0; i < 40; i++) await settle(policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS)));
    // Without the budget: 40 * 4 attempts. With it: 40 first attempts and 10 paid retries.
    expect(server.transport.sent).toHaveLength(50);
  });
});

describe('abort', () => {
  const aborted = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

  it('ends a backoff wait at once with ABORTED and sends nothing more', async () => {
    const server = quivo(() => answers.throttled());
    const policy = policyFor(server, { withoutLogin: true });
    const controller = new AbortController();
    const pending = aborted(policy.execute({ method: 'GET', url: ORDERS, signal: controller.signal }, server.transport.sender('GET', ORDERS)));
    await vi.advanceTimersByTimeAsync(1);
    controller.abort();
    const error = await pending;
    expect(isQuivoError(error) && error.code).toBe('ABORTED');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(server.transport.sent).toHaveLength(1);
  });

  it('ends a limiter queue wait at once', async () => {
    const server = quivo(() => ({ ...answers.ok(), delayMs: 1000 }));
    const policy = policyFor(server, { withoutLogin: true, rateLimit: { maxConcurrent: 1 } });
    void policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    const controller = new AbortController();
    const queued = aborted(policy.execute({ method: 'GET', url: ORDERS, signal: controller.signal }, server.transport.sender('GET', ORDERS)));
    controller.abort();
    expect(await queued).toMatchObject({ code: 'ABORTED', trail: [{ action: 'give-up', reason: 'aborted waiting for the rate limiter' }] });
    await vi.advanceTimersByTimeAsync(5000);
    expect(server.transport.sent).toHaveLength(1);
  });

  it('ends a wait for the login at once, and the login still serves the others', async () => {
    const server = quivo();
    let release: () => void = () => {};
    server.login.mockImplementationOnce(async () => {
      await new Promise<void>((resolve) => (release = resolve));
      server.state.validToken = 'token-x';
      return 'token-x';
    });
    const policy = policyFor(server);
    const controller = new AbortController();
    const impatient = aborted(policy.execute({ method: 'GET', url: ORDERS, signal: controller.signal }, server.transport.sender('GET', ORDERS)));
    const patient = policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    controller.abort();
    expect(await impatient).toMatchObject({ code: 'ABORTED' });
    release();
    expect((await patient).status).toBe(200);
    expect(server.transport.sent).toHaveLength(1);
  });

  it('never starts an attempt for a signal that is already aborted', async () => {
    const server = quivo();
    const policy = policyFor(server);
    const error = await aborted(policy.execute({ method: 'GET', url: ORDERS, signal: AbortSignal.abort() }, server.transport.sender('GET', ORDERS)));
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(server.transport.sent).toHaveLength(0);
    expect(server.login).not.toHaveBeenCalled();
  });
});

describe('adaptive rate limit', () => {
  it('learns from a 429 even when the request is not retried', async () => {
    const server = quivo(() => answers.throttled());
    const policy = policyFor(server, { withoutLogin: true, retry: false });
    const changes: number[] = [];
    policy.onThrottle((e) => changes.push(e.rate));
    await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    expect(changes).toHaveLength(1);
  });

  it('settles under a throttling server and sees few 429s', async () => {
    // The server allows 50 requests a second, bucket of 5; the client does not know that.
    let tokens = 5;
    let refilled = Date.now();
    const server = quivo(() => {
      tokens = Math.min(5, tokens + ((Date.now() - refilled) * 50) / 1000);
      refilled = Date.now();
      if (tokens < 1) return { ...answers.throttled(), delayMs: 5 };
      tokens -= 1;
      return { ...answers.ok(), delayMs: 20 };
    });
    const policy = policyFor(server, { withoutLogin: true, retry: { retries: 10 } });
    const rates: number[] = [];
    policy.onThrottle((e) => rates.push(e.rate));
    const worker = async () => {
      for (let i = 0; i < 50; i++) await policy.execute({ method: 'GET', url: ORDERS }, server.transport.sender('GET', ORDERS));
    };
    const all = Promise.all(Array.from({ length: 10 }, worker));
    await vi.advanceTimersByTimeAsync(60_000);
    await all;
    const throttled = server.transport.sent.length - 500;
    expect(rates.length).toBeGreaterThan(0);
    expect(Math.min(...rates)).toBeLessThan(50);
    // Without the limiter, 10 workers at 20 ms a request would ask 500/s of a 50/s server.
    expect(throttled / 500).toBeLessThan(0.3);
  });
});
