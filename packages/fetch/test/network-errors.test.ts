import { createQuivoPolicy, isQuivoError, type QuivoError } from '@quivo-resilience/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createQuivoFetch } from '../src/index.js';
import { createTestClock } from './support/test-clock.js';

const BASE = 'https://api.quivo.example';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

function quivoFetch(options: Parameters<typeof createQuivoPolicy>[0] = {}) {
  return createQuivoFetch(createQuivoPolicy({ baseURL: BASE, apiKey: 'k', rateLimit: false, retry: false, clock: createTestClock(), ...options }));
}

describe('no response', () => {
  it('a network failure rejects with a NETWORK QuivoError whose cause is what fetch rejected with', async () => {
    // Shaped as Node's fetch rejects: TypeError('fetch failed') with the socket error as its cause.
    const fetchFailure = new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    nock(BASE).get('/stock').replyWithError(fetchFailure);
    const error = (await quivoFetch()(`${BASE}/stock`).catch((e: unknown) => e)) as QuivoError;
    expect(isQuivoError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'NETWORK', source: 'network', method: 'GET', url: `${BASE}/stock`, attempts: 1 });
    expect(error.cause).toBe(fetchFailure);
  });

  it('the error never shows the API key', async () => {
    nock(BASE).post('/orders').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const error = (await quivoFetch({ apiKey: 'secret-api-key-123' })(`${BASE}/orders`, { method: 'POST', body: '{}' }).catch((e: unknown) => e)) as QuivoError;
    expect(error.code).toBe('NETWORK');
    expect(JSON.stringify(error)).not.toContain('secret-api-key-123');
  });
});

describe('answers', () => {
  it('classifies an IAM deny (capital M Message) without consuming the returned body', async () => {
    nock(BASE)
      .get('/orders/1')
      .reply(403, { Message: 'User: anonymous is not authorized to perform: execute-api:Invoke' }, { 'x-amzn-ErrorType': 'AccessDeniedException', 'x-amzn-RequestId': 'req-9' });
    const response = await quivoFetch()(`${BASE}/orders/1`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ Message: 'User: anonymous is not authorized to perform: execute-api:Invoke' });
  });

  it('with throwHttpErrors, rejects with the classified error and its request id', async () => {
    nock(BASE).get('/orders/1').reply(403, { Message: 'User: anonymous is not authorized' }, { 'x-amzn-ErrorType': 'AccessDeniedException:http://internal', 'x-amzn-RequestId': 'req-9' });
    const policy = createQuivoPolicy({ baseURL: BASE, apiKey: 'k', rateLimit: false, clock: createTestClock() });
    const error = (await createQuivoFetch(policy, { throwHttpErrors: true })(`${BASE}/orders/1`).catch((e: unknown) => e)) as QuivoError;
    expect(error).toMatchObject({ code: 'ACCESS_DENIED', status: 403, requestId: 'req-9', gatewayErrorType: 'AccessDeniedException', source: 'gateway' });
  });

  it('sends the API key only to the Quivo origin', async () => {
    const seen: Array<string | undefined> = [];
    nock(BASE)
      .get('/stock')
      .reply(function () {
        seen.push(this.req.headers['x-api-key'] as string | undefined);
        return [200, '[]'];
      });
    nock('https://cdn.example')
      .get('/logo.svg')
      .reply(function () {
        seen.push(this.req.headers['x-api-key'] as string | undefined);
        return [200, '<svg/>'];
      });
    const f = quivoFetch();
    await f(`${BASE}/stock`);
    await f('https://cdn.example/logo.svg');
    expect(seen).toEqual(['k', undefined]);
  });
});
