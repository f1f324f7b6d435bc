import { Readable } from 'node:stream';
import { isQuivoError } from '@quivo-resilience/core';
import axios, { type AxiosHeaders, type AxiosRequestConfig } from 'axios';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { translationPolicy } from './helpers/translation-policy.js';

// What attachQuivo hands to `policy.execute` and how it turns the result into an axios answer,
// with a stand-in policy that only sends. Behaviour (refresh, retries, aborts) is tested against
// the real policy in the other files.
const QUIVO = 'https://api.quivo.test';
const OTHER = 'https://elsewhere.test';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

function setup() {
  const policy = translationPolicy(QUIVO);
  const instance = axios.create({ baseURL: QUIVO });
  const eject = attachQuivo(instance, policy);
  return { policy, instance, eject };
}

function requestInterceptorCount(instance: ReturnType<typeof axios.create>): number {
  let count = 0;
  // forEach is public at runtime but missing from axios's type declarations.
  (instance.interceptors.request as unknown as { forEach(visit: () => void): void }).forEach(() => (count += 1));
  return count;
}

describe('the request handed to the policy', () => {
  it('carries the full URL as axios builds it, the method, the timeout and the per-request overrides', async () => {
    const { policy, instance } = setup();
    nock(QUIVO).delete('/v1/orders/7').query({ force: 'true' }).reply(204);

    await instance.delete('/v1/orders/7', { params: { force: true }, timeout: 1500, quivo: { retry: false, retryUnsafe: true, auth: false } });

    expect(policy.requests).toHaveLength(1);
    const [request] = policy.requests;
    expect(request).toMatchObject({ method: 'DELETE', url: `${QUIVO}/v1/orders/7?force=true`, timeoutMs: 1500, retry: false, retryUnsafe: true, auth: false });
    expect(request?.notReplayable).toBeUndefined();
  });

  it("leaves the per-attempt timeout to the policy when axios's timeout is 0 (none)", async () => {
    const { policy, instance } = setup();
    nock(QUIVO).get('/stock').reply(200, []);

    await instance.get('/stock');

    expect(policy.requests[0]).not.toHaveProperty('timeoutMs');
  });

  it('marks a stream body as not replayable, with the reason', async () => {
    const { policy, instance } = setup();
    nock(QUIVO).put('/inbounds/1/file').reply(200, {});

    await instance.put('/inbounds/1/file', Readable.from(['a,b\n']));

    expect(policy.requests[0]?.notReplayable).toBe('request body is a stream');
  });

  it('turns the caller axios signal into the AbortSignal the policy waits on', async () => {
    const { policy, instance } = setup();
    nock(QUIVO).get('/stock').reply(200, []);
    const controller = new AbortController();

    await instance.get('/stock', { signal: controller.signal });

    expect(policy.requests[0]?.signal).toBe(controller.signal);
  });
});

describe('every attempt', () => {
  it("gives a custom adapter the policy's signal, not axios's timeout, which it may not honour", async () => {
    const policy = translationPolicy(QUIVO);
    const sent: AxiosRequestConfig[] = [];
    const instance = axios.create({
      baseURL: QUIVO,
      adapter: async (config) => {
        // As the adapter sees it during its call: the attempt's fields are put back afterwards.
        sent.push({ ...config });
        return { data: 'ok', status: 200, statusText: 'OK', headers: {}, config, request: {} };
      },
    });
    attachQuivo(instance, policy);
    const controller = new AbortController();

    await instance.get('/stock', { timeout: 1500, signal: controller.signal });

    expect(sent[0]?.timeout).toBe(0);
    expect(sent[0]?.signal).toBeInstanceOf(AbortSignal);
    expect(sent[0]?.signal).not.toBe(controller.signal);
  });

  it('sends the credentials the policy gives it; response.config is the caller config, without them', async () => {
    const { policy, instance } = setup();
    policy.attemptsPerRequest = 2;
    const seen: Array<string | undefined> = [];
    nock(QUIVO)
      .get('/stock')
      .times(2)
      .reply(function () {
        seen.push(this.req.headers['authorization'] as string | undefined);
        return [200, []];
      });

    const response = await instance.get('/stock', { timeout: 4000 });

    expect(seen).toEqual(['translation-token', 'translation-token']);
    expect(response.config.headers.has('Authorization')).toBe(false);
    expect(response.config.timeout).toBe(4000);
    expect(response.config.validateStatus?.(500)).toBe(false);
  });

  it("puts every attempt's fields back on the request's config, after an answer and after a throw", async () => {
    const policy = translationPolicy(QUIVO);
    policy.attemptsPerRequest = 2;
    const atCall: AxiosRequestConfig[] = [];
    let fail = false;
    const instance = axios.create({
      baseURL: QUIVO,
      adapter: async (config) => {
        atCall.push({ ...config, headers: axios.AxiosHeaders.from(config.headers as AxiosHeaders) });
        if (fail) throw new axios.AxiosError('socket hang up', 'ECONNRESET', config);
        return { data: 'ok', status: atCall.length === 1 ? 503 : 200, statusText: '', headers: {}, config, request: {} };
      },
    });
    attachQuivo(instance, policy);

    const response = await instance.get('/stock', { timeout: 1500, timeoutErrorMessage: 'slow' });

    expect(atCall.map((c) => [c.headers?.['Authorization'], c.validateStatus?.(503), typeof c.beforeRedirect])).toEqual([
      ['translation-token', true, 'function'],
      ['translation-token', true, 'function'],
    ]);
    expect(response.config.headers.has('Authorization')).toBe(false);
    expect(response.config.validateStatus?.(503)).toBe(false);
    expect(response.config.timeout).toBe(1500);
    expect(response.config.timeoutErrorMessage).toBe('slow');
    expect(response.config).not.toHaveProperty('beforeRedirect');
    expect(response.config).not.toHaveProperty('signal');

    fail = true;
    const error = await instance.get('/stock', { timeout: 1500 }).catch((thrown: unknown) => thrown);
    const cause = isQuivoError(error) ? (error.cause as { config?: AxiosRequestConfig }) : undefined;
    expect(cause?.config?.timeout).toBe(1500);
    expect(cause?.config).not.toHaveProperty('beforeRedirect');
    expect((cause?.config?.headers as AxiosHeaders | undefined)?.has('Authorization')).toBe(false);
  });

  it('never writes to the caller config or its nested objects', async () => {
    const { policy, instance } = setup();
    policy.attemptsPerRequest = 2;
    nock(QUIVO).post('/orders').query(true).times(2).reply(201, { id: 1 });
    const config: AxiosRequestConfig = {
      method: 'post',
      url: '/orders',
      params: { dryRun: false },
      headers: { 'X-Trace-Id': 'trace-1' },
      data: { orderIdentifier: 'A-1', positions: [{ sku: 'S', quantity: 2 }] },
      quivo: { retryUnsafe: true },
      timeout: 5000,
    };
    const before = structuredClone(config);
    const nested = { headers: config.headers, data: config.data, params: config.params, quivo: config.quivo };

    await instance.request(config);

    expect(config).toStrictEqual(before);
    expect({ headers: config.headers, data: config.data, params: config.params, quivo: config.quivo }).toStrictEqual(nested);
    expect(config.headers).toBe(nested.headers);
  });
});

describe('the answer', () => {
  it("applies the caller's validateStatus to the final response", async () => {
    const { instance } = setup();
    nock(QUIVO).get('/orders/9').reply(404, 'Order with ID 9 not found', { 'content-type': 'text/plain' });

    const response = await instance.get('/orders/9', { validateStatus: (status) => status < 500 });

    expect(response.status).toBe(404);
    expect(response.data).toBe('Order with ID 9 not found');
  });

  it('rejects with a QuivoError whose cause is the AxiosError axios would have thrown, data parsed', async () => {
    const { instance } = setup();
    nock(QUIVO).get('/orders').reply(403, { Message: 'User is not authorized to access this resource' }, { 'x-amzn-ErrorType': 'AccessDeniedException' });

    const error = await instance.get('/orders').catch((thrown: unknown) => thrown);

    expect(isQuivoError(error)).toBe(true);
    if (!isQuivoError(error)) return;
    expect(error.code).toBe('ACCESS_DENIED');
    expect(axios.isAxiosError(error.cause)).toBe(true);
    if (!axios.isAxiosError(error.cause)) return;
    expect(error.cause.code).toBe('ERR_BAD_REQUEST');
    expect(error.cause.response?.status).toBe(403);
    expect(error.cause.response?.data).toEqual({ Message: 'User is not authorized to access this resource' });
    expect(error.cause.config?.headers.has('Authorization')).toBe(false);
  });

  it('rejects a status below 400 that validateStatus refuses, naming the status', async () => {
    const { instance } = setup();
    nock(QUIVO).get('/stock').reply(200, []);

    const error = await instance.get('/stock', { validateStatus: (status) => status === 201 }).catch((thrown: unknown) => thrown);

    expect(isQuivoError(error) && error.status).toBe(200);
    expect(isQuivoError(error) && error.message).toBe('HTTP 200 refused by validateStatus');
    expect(isQuivoError(error) && axios.isAxiosError(error.cause) && error.cause.code).toBe('ERR_BAD_RESPONSE');
  });
});

describe('routing', () => {
  it('sends a request for another origin straight to the adapter, without the policy', async () => {
    const { policy, instance } = setup();
    let authorization: unknown = 'not seen';
    nock(OTHER)
      .get('/ping')
      .reply(function () {
        authorization = this.req.headers['authorization'];
        return [200, 'pong'];
      });

    const response = await instance.get(`${OTHER}/ping`);

    expect(response.data).toBe('pong');
    expect(policy.requests).toHaveLength(0);
    expect(authorization).toBeUndefined();
  });
});

describe('installation', () => {
  it('attaching twice keeps one interceptor; the first eject then does nothing', async () => {
    const instance = axios.create({ baseURL: QUIVO });
    const first = translationPolicy(QUIVO);
    const second = translationPolicy(QUIVO);
    const ejectFirst = attachQuivo(instance, first);
    const ejectSecond = attachQuivo(instance, second);
    nock(QUIVO).get('/stock').times(2).reply(200, []);

    await instance.get('/stock');
    ejectFirst();
    await instance.get('/stock');

    expect(requestInterceptorCount(instance)).toBe(1);
    expect(first.requests).toHaveLength(0);
    expect(second.requests).toHaveLength(2);
    ejectSecond();
    expect(requestInterceptorCount(instance)).toBe(0);
  });

  it('with options, creates a policy for the instance baseURL', async () => {
    const instance = axios.create({ baseURL: QUIVO });
    const eject = attachQuivo(instance, { apiKey: 'key-1', rateLimit: false });
    const keys: unknown[] = [];
    nock(QUIVO)
      .get('/stock')
      .reply(function () {
        keys.push(this.req.headers['x-api-key']);
        return [200, []];
      });
    nock(OTHER)
      .get('/stock')
      .reply(function () {
        keys.push(this.req.headers['x-api-key']);
        return [200, []];
      });

    await instance.get('/stock');
    await instance.get(`${OTHER}/stock`);
    eject();

    expect(keys).toEqual(['key-1', undefined]);
  });

  it('with options, refuses to install a policy that could apply to no request', () => {
    const instance = axios.create();

    expect(() => attachQuivo(instance, { apiKey: 'key-1' })).toThrow(expect.objectContaining({ name: 'QuivoError', code: 'INVALID_OPTIONS' }));
    expect(requestInterceptorCount(instance)).toBe(0);
  });
});

describe('bad input', () => {
  it.each([
    ['no policy', () => attachQuivo(axios.create({ baseURL: QUIVO }), undefined as never)],
    ['a null policy', () => attachQuivo(axios.create({ baseURL: QUIVO }), null as never)],
    ['no instance', () => attachQuivo(undefined as never, { baseURL: QUIVO })],
    ['a plain object for an instance', () => attachQuivo({} as never, { baseURL: QUIVO })],
  ])('attachQuivo with %s throws INVALID_OPTIONS', (_, attach) => {
    expect(attach).toThrow(expect.objectContaining({ name: 'QuivoError', code: 'INVALID_OPTIONS', message: expect.stringContaining('attachQuivo needs') }));
  });

  it.each(['xhr', 'no-such-adapter'])('a Quivo request through an adapter axios cannot use here (%s) rejects with a QuivoError, the AxiosError its cause', async (adapter) => {
    const policy = translationPolicy(QUIVO);
    const instance = axios.create({ baseURL: QUIVO, adapter });
    attachQuivo(instance, policy);

    const error: unknown = await instance.get('/stock').catch((thrown: unknown) => thrown);

    expect(isQuivoError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', method: 'GET', url: `${QUIVO}/stock` });
    expect(axios.isAxiosError((error as { cause?: unknown }).cause)).toBe(true);
    expect(policy.requests).toHaveLength(0);
  });

  it("a request for another origin through such an adapter keeps axios's own error", async () => {
    const instance = axios.create({ baseURL: QUIVO, adapter: 'no-such-adapter' });
    attachQuivo(instance, translationPolicy(QUIVO));

    const error: unknown = await instance.get(`${OTHER}/stock`).catch((thrown: unknown) => thrown);

    expect(axios.isAxiosError(error)).toBe(true);
    expect(isQuivoError(error)).toBe(false);
  });
});
