import { describe, expect, it } from 'vitest';
import { createQuivoPolicy } from './create-quivo-policy.js';
import type { QuivoPolicyOptions } from './policy-types.js';

const BASE = 'https://api.quivo.test';

function refusal(options: unknown): { code?: string; message?: string } | undefined {
  try {
    createQuivoPolicy(options as QuivoPolicyOptions);
    return undefined;
  } catch (thrown) {
    return thrown as { code?: string; message?: string };
  }
}

describe('policy options', () => {
  it('refuse a yes-or-no option that is not a boolean: the string "false" would read as true', () => {
    // From an environment variable, 'no' or 'false' is truthy: a POST would be sent again after a 504.
    expect(refusal({ baseURL: BASE, retry: { retryUnsafe: 'no' } })).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('retry.retryUnsafe must be true or false, not a string') });
    expect(refusal({ baseURL: BASE, rateLimit: { adaptive: 'false' } })).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('rateLimit.adaptive must be true or false') });
    expect(refusal({ baseURL: BASE, retry: { retryUnsafe: 1 } })).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(refusal({ baseURL: BASE, retry: { retryUnsafe: true }, rateLimit: { adaptive: false } })).toBeUndefined();
  });

  it('refuse an API key or token scheme that cannot be a header value, without quoting the key', () => {
    const key = refusal({ baseURL: BASE, apiKey: 'SECRET-KEY\r\nX-Injected: 1' });
    expect(key).toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(String(key?.message)).not.toContain('SECRET-KEY');
    expect(refusal({ baseURL: BASE, apiKey: 'k', tokenScheme: 'Bearer\nX-Injected: 1' })).toMatchObject({ code: 'INVALID_OPTIONS' });
  });

  it('refuse a time no timer can wait for (Infinity, or past setTimeout\'s 32-bit limit), and take the limit itself', () => {
    const limit = 2 ** 31 - 1;
    for (const name of ['maxElapsedMs', 'maxDelayMs', 'baseDelayMs', 'throttleBaseDelayMs'] as const) {
      expect(refusal({ baseURL: BASE, retry: { [name]: Infinity } })).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining(`retry.${name} must be at most ${limit} ms`) });
      expect(refusal({ baseURL: BASE, retry: { [name]: limit + 1 } })).toMatchObject({ code: 'INVALID_OPTIONS' });
      expect(refusal({ baseURL: BASE, retry: { [name]: limit } })).toBeUndefined();
    }
    expect(refusal({ baseURL: BASE, timeoutMs: Infinity })).toMatchObject({ code: 'INVALID_OPTIONS', message: expect.stringContaining('timeoutMs must be at most') });
    // Not timers: a token may live for months, or never expire.
    expect(refusal({ baseURL: BASE, tokenLifetimeMs: Infinity, refreshAheadMs: 40 * 86_400_000 })).toBeUndefined();
  });
});
