import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { createEvent } from '../events.js';
import type { LoginResult, RefreshEvent } from '../policy-types.js';
import { TokenManager, type SessionToken } from './token-manager.js';

const never = new AbortController().signal;

function managerWith(login: (manager: TokenManager, n: number) => Promise<LoginResult>) {
  const calls = { count: 0 };
  const manager: TokenManager = new TokenManager({
    login: () => login(manager, ++calls.count),
    clock: { ...systemClock, random: () => 0.5 },
    tokenLifetimeMs: 3_600_000,
    refreshAheadMs: 60_000,
    timeoutMs: 30_000,
    maxElapsedMs: 60_000,
    secrets: [],
    onRefresh: createEvent<RefreshEvent>(),
  });
  return { manager, calls };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-11-26T10:00:00Z'));
});
afterEach(() => vi.useRealTimers());

describe('TokenManager re-entered by its own login', () => {
  // A login that goes through a client of the same policy (a fetch wrapper installed as the
  // global fetch) asks for a token while it runs: it must join the login, not start another.
  it('hands a token asked for during the login the token of that same login', async () => {
    let reentrant: Promise<SessionToken> | undefined;
    const { manager, calls } = managerWith(async (self, n) => {
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
    const { manager, calls } = managerWith(async (self, n) => {
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
