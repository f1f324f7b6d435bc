import { describe, expect, it, vi } from 'vitest';
import { createQuivoPolicy } from './create-quivo-policy.js';
import { isHeaderValue } from './header-value.js';
import { isQuivoError } from './quivo-error.js';

const BASE = 'https://api.quivo.test';

describe('credentials that cannot be a header value', () => {
  it('tells header values a client sends from those it refuses', () => {
    // Whitespace at the ends is trimmed by the clients, as a key read from a file needs.
    for (const ok of ['eyJhbGciOiJIUzI1NiJ9.e30.sig', 'a+b/c=', 'key with spaces', 'tab\tok', 'café', 'key\n', 'key\r\n', ' key ']) expect(isHeaderValue(ok)).toBe(true);
    for (const bad of ['line\nbreak', 'carriage\rreturn', 'nul\0', 'bell\x07', 'del\x7f', 'snow☃', 'key\n\0']) expect(isHeaderValue(bad)).toBe(false);
  });

  it('fail the login with AUTH_FAILED when it returns such a token, and send nothing', async () => {
    const policy = createQuivoPolicy({ baseURL: BASE, apiKey: 'key-1', login: async () => 'SECRET-TOKEN\nX-Injected: 1' });
    const send = vi.fn();
    const error = await policy.execute({ method: 'GET', url: `${BASE}/orders` }, send).catch((e: unknown) => e);
    expect(isQuivoError(error) && error.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(error)).not.toContain('SECRET-TOKEN');
    expect(String((error as Error).message)).toMatch(/not a valid HTTP header value/);
    expect(send).not.toHaveBeenCalled();
  });
});
