import { describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { createQuivoPolicy } from './create-quivo-policy.js';
import type { AttemptResponse, PolicyRequest } from './policy-types.js';
import { isQuivoError } from './quivo-error.js';

const BASE = 'https://api.quivo.test';

function setup() {
  const policy = createQuivoPolicy({ baseURL: BASE, apiKey: 'key-123456', rateLimit: false, clock: { ...systemClock, random: () => 0.5 } });
  const send = vi.fn(async (): Promise<AttemptResponse<string>> => ({ status: 200, headers: {}, value: 'ok' }));
  return { policy, send };
}

const request = (overrides: Partial<PolicyRequest>): PolicyRequest => ({ method: 'GET', url: `${BASE}/stock`, ...overrides });

describe('per-request overrides', () => {
  const bad: Array<[string, Partial<PolicyRequest>, RegExp]> = [
    ['a string timeout', { timeoutMs: 'abc' as never }, /timeoutMs must be a finite number above 0, not a string/],
    ['a negative timeout', { timeoutMs: -1 }, /timeoutMs .* not -1/],
    ['a zero timeout', { timeoutMs: 0 }, /timeoutMs/],
    ['a NaN timeout', { timeoutMs: Number.NaN }, /timeoutMs .* not NaN/],
    ['an infinite timeout', { timeoutMs: Infinity }, /timeoutMs/],
    ['a string retry', { retry: 'false' as never }, /retry must be a boolean, not a string/],
    ['a string retryUnsafe', { retryUnsafe: 'yes' as never }, /retryUnsafe must be a boolean/],
    ['a null auth', { auth: null as never }, /auth must be a boolean, not null/],
  ];
  for (const [name, overrides, message] of bad) {
    it(`rejects ${name} with INVALID_OPTIONS before any attempt`, async () => {
      const { policy, send } = setup();
      const error: unknown = await policy.execute(request(overrides), send).catch((e: unknown) => e);
      expect(isQuivoError(error) && error.code).toBe('INVALID_OPTIONS');
      expect((error as Error).message).toMatch(/^Invalid Quivo request options: /);
      expect((error as Error).message).toMatch(message);
      expect(error).toMatchObject({ retryable: false, outcome: 'not-executed', method: 'GET', url: `${BASE}/stock` });
      expect(send).not.toHaveBeenCalled();
    });
  }

  it('runs a request whose overrides are well formed', async () => {
    const { policy, send } = setup();
    const result = await policy.execute(request({ timeoutMs: 250.5, retry: true as never, retryUnsafe: false, auth: true as never }), send);
    expect(result.value).toBe('ok');
    expect(send).toHaveBeenCalledTimes(1);
  });
});
