import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import type { AttemptRecord } from './error-types.js';
import { QuivoError, isQuivoError } from './quivo-error.js';
import { toQuivoError } from './to-quivo-error.js';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxdWl2byJ9.c2lnbmF0dXJlLXNlY3JldA';

/** What an AxiosError carries: the request config with its headers, the token among them. */
function axiosLikeCause(): Error {
  return Object.assign(new Error('Request failed with status code 401'), {
    name: 'AxiosError',
    code: 'ERR_BAD_REQUEST',
    config: { headers: { Authorization: `Bearer ${TOKEN}`, 'X-Api-Key': 'k3y-S3CRET-value' }, url: 'https://api.quivo.com/orders' },
    response: { status: 401, data: { message: 'Unauthorized' } },
  });
}

describe('QuivoError', () => {
  it('is an Error named QuivoError with a readable stack', () => {
    const error = new QuivoError({ code: 'NOT_FOUND', message: 'Order with ID 1 not found', status: 404 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('QuivoError');
    expect(error.stack?.startsWith('QuivoError: Order with ID 1 not found')).toBe(true);
    expect(String(error)).toBe('QuivoError: Order with ID 1 not found');
  });

  it('derives the traits a caller leaves out, and keeps those it sets', () => {
    const timeout = new QuivoError({ code: 'TIMEOUT', message: '', method: 'get' });
    expect(timeout).toMatchObject({ message: 'Request timed out', source: 'client', transient: true, outcome: 'unknown', retryable: true, method: 'GET', attempts: 1, trail: [] });
    expect(new QuivoError({ code: 'TIMEOUT', message: 'slow', method: 'POST' }).retryable).toBe(false);
    const explicit = new QuivoError({ code: 'AUTH_FAILED', message: 'login failed', source: 'client', retryable: false, transient: true, outcome: 'not-executed' });
    expect(explicit).toMatchObject({ transient: true, outcome: 'not-executed', retryable: false });
    expect(new QuivoError({ code: 'UNAUTHORIZED', message: 'Unauthorized', status: 401 }).source).toBe('backend');
  });

  it('keeps the cause itself, for callers that read cause.response', () => {
    const cause = axiosLikeCause();
    const error = new QuivoError({ code: 'UNAUTHORIZED', message: 'Unauthorized', status: 401, cause });
    expect(error.cause).toBe(cause);
    expect(Object.keys(error)).not.toContain('cause');
  });

  it('withAttempts copies every field and the cause, and sets attempts and trail', () => {
    const cause = axiosLikeCause();
    const trail: AttemptRecord[] = [
      { attempt: 1, code: 'INTEGRATION_TIMEOUT', status: 504, action: 'retry', delayMs: 80, reason: 'retry: INTEGRATION_TIMEOUT (504)' },
      { attempt: 2, code: 'INTEGRATION_TIMEOUT', status: 504, action: 'give-up', reason: 'no retry: 1 retries used' },
    ];
    const first = new QuivoError({ code: 'INTEGRATION_TIMEOUT', message: 'Endpoint request timed out', status: 504, method: 'GET', url: 'https://api.quivo.com/orders', requestId: 'r-1', body: { message: 'Endpoint request timed out' }, cause, secrets: ['k3y-S3CRET-value'] });
    const final = first.withAttempts(2, trail);
    expect(final).not.toBe(first);
    expect(final.cause).toBe(cause);
    expect({ ...final.toJSON(), attempts: 1, trail: [] }).toEqual(first.toJSON());
    expect(final.attempts).toBe(2);
    expect(final.trail).toEqual(trail);
    expect(Object.isFrozen(final.trail)).toBe(true);
    expect(first.attempts).toBe(1);
    expect(final.stack).toBe(first.stack);
  });

  it('toJSON gives the safe fields and only a summary of the cause', () => {
    const error = new QuivoError({ code: 'UNAUTHORIZED', message: 'Unauthorized', status: 401, method: 'GET', cause: axiosLikeCause() });
    const json = error.toJSON();
    expect(json).toEqual({
      name: 'QuivoError',
      code: 'UNAUTHORIZED',
      message: 'Unauthorized',
      status: 401,
      source: 'backend',
      retryable: false,
      transient: false,
      outcome: 'failed',
      method: 'GET',
      attempts: 1,
      trail: [],
      cause: { name: 'AxiosError', message: 'Request failed with status code 401', code: 'ERR_BAD_REQUEST' },
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual(json);
  });

  it('util.inspect shows the code and stack but none of the cause\'s config', () => {
    const error = new QuivoError({ code: 'UNAUTHORIZED', message: 'Unauthorized', status: 401, cause: axiosLikeCause() });
    const shown = inspect(error, { depth: 10 });
    expect(shown).toContain("code: 'UNAUTHORIZED'");
    expect(shown).toContain('QuivoError: Unauthorized');
    expect(shown).toContain("name: 'AxiosError'");
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain('k3y-S3CRET-value');
    expect(inspect({ nested: { error } }, { depth: 0 })).not.toContain(TOKEN);
  });

  it('scrubs secrets from the message, the url and the cause summary', () => {
    const cause = new Error(`login failed for password hunter2-S3CRET at https://me:pw-S3CRET@api.quivo.com/login?apiKey=k3y-S3CRET`);
    const error = new QuivoError({ code: 'AUTH_FAILED', message: `login rejected: hunter2-S3CRET Bearer ${TOKEN}`, url: 'https://me:pw-S3CRET@api.quivo.com/login?apiKey=k3y-S3CRET', cause, secrets: ['hunter2-S3CRET'] });
    const everything = `${error.message} ${error.url} ${JSON.stringify(error)} ${inspect(error, { depth: 10 })}`;
    for (const secret of ['hunter2-S3CRET', 'pw-S3CRET', 'k3y-S3CRET', TOKEN]) expect(everything).not.toContain(secret);
    expect(error.url).toBe('https://api.quivo.com/login?apiKey=[REDACTED]');
    expect(error.cause).toBe(cause);
  });

  it('never throws on a hostile body, url or cause given directly', () => {
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const error = new QuivoError({ code: 'INTERNAL', message: 'x', body: revoked, url: revoked as never, cause: revoked });
    expect(error.body).toBeUndefined();
    expect(JSON.stringify(error)).toContain('"code":"INTERNAL"');
  });

  it('caps a long message at about 1 KB', () => {
    expect(new QuivoError({ code: 'INTERNAL', message: 'x'.repeat(100_000) }).message.length).toBeLessThanOrEqual(1024);
  });
});

describe('isQuivoError', () => {
  it('is true for QuivoErrors and false for everything else', () => {
    expect(isQuivoError(new QuivoError({ code: 'NETWORK', message: 'x' }))).toBe(true);
    for (const value of [new Error('x'), null, undefined, 'QuivoError', { name: 'QuivoError', code: 'NETWORK' }, 42]) expect(isQuivoError(value)).toBe(false);
  });

  it('does not throw on hostile objects', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); } });
    expect(isQuivoError(hostile)).toBe(false);
  });

  it('recognises an error made by a second copy of the package, also with instanceof', async () => {
    vi.resetModules();
    const second = (await import('./quivo-error.js')) as typeof import('./quivo-error.js');
    expect(second.QuivoError).not.toBe(QuivoError);
    const foreign = new second.QuivoError({ code: 'THROTTLED', message: 'Too Many Requests', status: 429 });
    expect(Object.getPrototypeOf(foreign)).not.toBe(QuivoError.prototype);
    expect(isQuivoError(foreign)).toBe(true);
    expect(foreign instanceof QuivoError).toBe(true);
    expect(second.isQuivoError(new QuivoError({ code: 'NETWORK', message: 'x' }))).toBe(true);
  });

  it('keeps instanceof exact for subclasses', () => {
    class LoginError extends QuivoError {}
    expect(new QuivoError({ code: 'AUTH_FAILED', message: 'x' }) instanceof LoginError).toBe(false);
    expect(new LoginError({ code: 'AUTH_FAILED', message: 'x' }) instanceof LoginError).toBe(true);
    expect(new LoginError({ code: 'AUTH_FAILED', message: 'x' }) instanceof QuivoError).toBe(true);
  });
});

describe('withCause', () => {
  it('swaps the cause and keeps every other field', () => {
    const original = toQuivoError({ status: 503, body: { message: 'Service Unavailable' }, method: 'GET', url: 'https://api.quivo.test/stock' });
    const clientError = Object.assign(new Error('Request failed with status code 503'), { response: { status: 503 } });
    const copy = original.withCause(clientError);
    expect(copy.cause).toBe(clientError);
    expect(copy.toJSON()).toEqual({ ...original.toJSON(), cause: { name: 'Error', message: 'Request failed with status code 503' } });
  });
});
