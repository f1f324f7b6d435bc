import { inspect } from 'node:util';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQuivoPolicy } from '../create-quivo-policy.js';
import type { AttemptContext } from '../policy-types.js';
import { isQuivoError } from '../quivo-error.js';
import { builtInLogin } from './built-in-login.js';

const BASE = 'https://api.quivo.test';
const settings = (base = BASE) => ({
  base: new URL(base),
  apiKey: 'key-abcdef',
  credentials: { username: 'demo', password: 'pw-secret-123' },
  fetch: undefined,
  now: () => 1_000_000,
});
const signal = new AbortController().signal;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('builtInLogin', () => {
  it('posts the credentials as JSON with the API key and reads `Token`', async () => {
    const scope = nock(BASE, { reqheaders: { 'x-api-key': 'key-abcdef', 'content-type': 'application/json' } })
      .post('/login', { username: 'demo', password: 'pw-secret-123' })
      .reply(200, { Token: 'tok-1' });
    await expect(builtInLogin(settings())({ signal })).resolves.toBe('tok-1');
    scope.done();
  });

  it('reads a lower-case `token`, an `expiresIn`, and keeps the base path', async () => {
    nock(BASE).post('/v1/login').reply(200, { token: 'tok-2', expiresIn: 60 });
    await expect(builtInLogin(settings(`${BASE}/v1`))({ signal })).resolves.toEqual({ token: 'tok-2', expiresAt: 1_060_000 });
  });

  it('turns a refusal into the gateway error it is', async () => {
    nock(BASE).post('/login').reply(401, { message: 'Invalid username or password' }, { 'content-type': 'application/json' });
    const error = await builtInLogin(settings())({ signal }).catch((e: unknown) => e);
    expect(isQuivoError(error) && [error.code, error.status]).toEqual(['UNAUTHORIZED', 401]);
  });

  it('keeps the password and key out of its error, even when the server echoes them', async () => {
    nock(BASE).post('/login').reply(400, 'password pw-secret-123 does not meet policy; key key-abcdef', { 'content-type': 'text/plain' });
    const error = await builtInLogin(settings())({ signal }).catch((e: unknown) => e);
    expect(isQuivoError(error) && error.code).toBe('BAD_REQUEST');
    for (const text of [JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).message]) {
      expect(text).not.toContain('pw-secret-123');
      expect(text).not.toContain('key-abcdef');
    }
  });

  it('never follows a redirect with the credentials', async () => {
    const elsewhere = nock('https://elsewhere.test').post('/login').reply(200, { Token: 'stolen' });
    nock(BASE).post('/login').reply(307, '', { location: 'https://elsewhere.test/login' });
    await expect(builtInLogin(settings())({ signal })).rejects.toThrow(/redirect \(307\)/);
    expect(elsewhere.isDone()).toBe(false);
  });

  it('refuses an answer without a token', async () => {
    nock(BASE).post('/login').reply(200, { user: 'demo' });
    await expect(builtInLogin(settings())({ signal })).rejects.toThrow('login answered without a token');
  });
});

describe('a policy with credentials', () => {
  const send = (seen: Array<Readonly<Record<string, string>>>) => async (ctx: AttemptContext) => {
    seen.push(ctx.headers);
    return { status: 200, headers: {}, value: null };
  };

  it('logs in through POST /login and sends the raw token', async () => {
    nock(BASE).post('/login').reply(200, { Token: 'tok-9' });
    const policy = createQuivoPolicy({ baseURL: BASE, apiKey: 'key-abcdef', credentials: { username: 'demo', password: 'pw-secret-123' } });
    const seen: Array<Readonly<Record<string, string>>> = [];
    await policy.execute({ method: 'GET', url: `${BASE}/stock` }, send(seen));
    expect(seen).toEqual([{ 'X-Api-Key': 'key-abcdef', Authorization: 'tok-9' }]);
  });

  it('fails every request with AUTH_FAILED on wrong credentials, without retrying the login', async () => {
    const scope = nock(BASE).post('/login').once().reply(401, { message: 'Invalid username or password' }, { 'content-type': 'application/json' });
    const policy = createQuivoPolicy({ baseURL: BASE, apiKey: 'key-abcdef', credentials: { username: 'demo', password: 'pw-secret-123' } });
    const seen: Array<Readonly<Record<string, string>>> = [];
    const error = await policy.execute({ method: 'GET', url: `${BASE}/stock` }, send(seen)).catch((e: unknown) => e);
    expect(isQuivoError(error) && error.code).toBe('AUTH_FAILED');
    expect(JSON.stringify(error)).not.toContain('pw-secret-123');
    expect(seen).toHaveLength(0);
    scope.done();
  });
});
