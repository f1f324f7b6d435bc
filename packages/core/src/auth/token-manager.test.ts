import { setMaxListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { createEvent } from '../events.js';
import type { LoginResult, RefreshEvent } from '../policy-types.js';
import { isQuivoError } from '../quivo-error.js';
import { toQuivoError } from '../to-quivo-error.js';
import { TokenManager, type SessionToken } from './token-manager.js';
import { useFakeTime } from '../testing/fake-time.js';

const HOUR = 3_600_000;
const never = new AbortController().signal;
// Shared by every waiter of these tests; a request's own wait signal has one listener here.
setMaxListeners(0, never);

function jwt(expSeconds: number): string {
  const encode = (value: object) => btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${encode({ alg: 'HS256' })}.${encode({ exp: expSeconds, sub: 'demo' })}.sig`;
}

/** `login` gets the call's number and the manager itself (a login may ask it for a token). */
function setup(login: (n: number, manager: TokenManager) => Promise<LoginResult>) {
  const calls = { count: 0 };
  const refreshes: RefreshEvent[] = [];
  const onRefresh = createEvent<RefreshEvent>();
  onRefresh.subscribe((event) => refreshes.push(event));
  const manager: TokenManager = new TokenManager({
    login: () => login(++calls.count, manager),
    clock: { ...systemClock, random: () => 0.5 },
    tokenLifetimeMs: HOUR,
    refreshAheadMs: 60_000,
    timeoutMs: 30_000,
    maxElapsedMs: 60_000,
    secrets: ['hunter2-password'],
    onRefresh,
  });
  return { manager, calls, refreshes };
}

const gatewayError = (status: number, message: string) =>
  toQuivoError({ status, headers: { 'content-type': 'application/json' }, body: { message }, method: 'POST', url: 'https://api.quivo.test/login' });

useFakeTime();

describe('TokenManager', () => {
  it('runs one login for a hundred requests that need a token at once', async () => {
    const { manager, calls } = setup(async (n) => `token-${n}`);
    const tokens = await Promise.all(Array.from({ length: 100 }, () => manager.get(never)));
    expect(calls.count).toBe(1);
    expect(new Set(tokens.map((t) => t.value))).toEqual(new Set(['token-1']));
  });

  it('reports each login in a frozen onRefresh event, as the other events are', async () => {
    const { manager, refreshes } = setup(async (n) => {
      if (n === 1) throw gatewayError(403, 'Forbidden');
      return `token-${n}`;
    });
    await manager.get(never).catch(() => undefined);
    await manager.get(never);
    expect(refreshes.map((r) => r.outcome)).toEqual(['failure', 'success']);
    expect(refreshes.every((r) => Object.isFrozen(r))).toBe(true);
  });

  it('answers a 401 for an older token with the current one, without a login', async () => {
    const { manager, calls } = setup(async (n) => `token-${n}`);
    const first = await manager.get(never);
    const second = await manager.rejected(first.generation, 'expired', never);
    expect(second.value).toBe('token-2');
    const stale = await manager.rejected(first.generation, 'expired', never);
    expect(stale.value).toBe('token-2');
    expect(calls.count).toBe(2);
  });

  it('reads the expiry from the JWT and renews in the background before it', async () => {
    const exp = Date.now() / 1000 + 600;
    const { manager, calls, refreshes } = setup(async (n) => (n === 1 ? jwt(exp) : `token-${n}`));
    const first = await manager.get(never);
    expect(first.expiresAt).toBe(exp * 1000);
    vi.setSystemTime(exp * 1000 - 59_000);
    expect(manager.current()?.value).toBe(first.value);
    expect(calls.count).toBe(2);
    await vi.advanceTimersByTimeAsync(0);
    expect(manager.current()?.value).toBe('token-2');
    expect(refreshes.map((r) => r.reason)).toEqual(['initial', 'proactive']);
  });

  it('makes requests wait for a login rather than send a token that has expired', async () => {
    const { manager, calls } = setup(async (n) => ({ token: `token-${n}`, expiresAt: Date.now() + 1000 }));
    await manager.get(never);
    vi.setSystemTime(Date.now() + 1000);
    expect(manager.current()).toBeUndefined();
    expect((await manager.get(never)).value).toBe('token-2');
    expect(calls.count).toBe(2);
  });

  it('rejects every waiter with AUTH_FAILED when the login fails, and lets the next request try again', async () => {
    const { manager, calls, refreshes } = setup(async (n) => {
      if (n === 1) throw gatewayError(401, 'Invalid username or password');
      return 'token-2';
    });
    const waiters = await Promise.allSettled(Array.from({ length: 5 }, () => manager.get(never)));
    for (const result of waiters) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(isQuivoError(error) && error.code).toBe('AUTH_FAILED');
      expect(isQuivoError(error.cause) && error.cause.code).toBe('UNAUTHORIZED');
    }
    expect(calls.count).toBe(1);
    expect(refreshes[0]).toMatchObject({ outcome: 'failure' });
    expect((await manager.get(never)).value).toBe('token-2');
  });

  it('keeps a broken auth server from a login storm', async () => {
    const { manager, calls } = setup(async () => {
      throw new Error('login backend exploded');
    });
    await expect(manager.get(never)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(manager.get(never)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    await expect(manager.get(never)).rejects.toThrow(/next login is allowed in 1000 ms/);
    expect(calls.count).toBe(2);
    vi.setSystemTime(Date.now() + 1000);
    await expect(manager.get(never)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(calls.count).toBe(3);
  });

  it('retries a login that failed for a transient reason, but not wrong credentials', async () => {
    const flaky = setup(async (n) => {
      if (n === 1) throw gatewayError(503, 'Service Unavailable');
      return 'token-2';
    });
    const pending = flaky.manager.get(never);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await pending).value).toBe('token-2');
    expect(flaky.calls.count).toBe(2);

    const wrong = setup(async () => {
      throw gatewayError(401, 'Invalid username or password');
    });
    await expect(wrong.manager.get(never)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(wrong.calls.count).toBe(1);
  });

  it('lets one caller stop waiting without cancelling the login the others wait for', async () => {
    let finish: (token: string) => void = () => {};
    const { manager, calls } = setup(() => new Promise<string>((resolve) => (finish = resolve)));
    const impatient = new AbortController();
    const first = manager.get(impatient.signal);
    const second = manager.get(never);
    impatient.abort(new DOMException('gave up', 'AbortError'));
    await expect(first).rejects.toMatchObject({ name: 'AbortError' });
    finish('token-1');
    expect((await second).value).toBe('token-1');
    expect(calls.count).toBe(1);
  });

  it('never puts a configured secret into the error message', async () => {
    const { manager } = setup(async () => {
      throw new Error('bad password hunter2-password for demo');
    });
    const error = await manager.get(never).catch((e: unknown) => e);
    expect(isQuivoError(error) && error.message).toBe('login failed: bad password [REDACTED] for demo');
  });
});

describe('TokenManager re-entered by its own login', () => {
  // A login that goes through a client of the same policy (a fetch wrapper installed as the
  // global fetch) asks for a token while it runs: it must join the login, not start another.
  it('hands a token asked for during the login the token of that same login', async () => {
    let reentrant: Promise<SessionToken> | undefined;
    const { manager, calls } = setup(async (n, self) => {
      reentrant ??= self.get(never);
      return `token-${n}`;
    });

    const token = await manager.get(never);

    expect(calls.count).toBe(1);
    expect(token.value).toBe('token-1');
    expect((await reentrant!).value).toBe('token-1');
  });

  it('joins a background renewal the same way', async () => {
    let reentrant: SessionToken | undefined | 'none';
    const { manager, calls } = setup(async (n, self) => {
      if (n === 2) reentrant = self.current() ?? 'none';
      return { token: `token-${n}`, expiresAt: Date.now() + 600_000 };
    });
    await manager.get(never);
    vi.setSystemTime(Date.now() + 600_000 - 10_000);

    expect(manager.current()?.value).toBe('token-1');
    await vi.advanceTimersByTimeAsync(0);

    expect(calls.count).toBe(2);
    expect(reentrant).toMatchObject({ value: 'token-1' });
    expect(manager.current()?.value).toBe('token-2');
  });
});
