import { createQuivoPolicy, type QuivoPolicyOptions } from '@quivo-resilience/core';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { virtualClock } from './helpers/virtual-clock.js';
import { rejection } from './helpers/rejection.js';

// The real policy behind attachQuivo, with nock answering as API Gateway does.
const QUIVO = 'https://api.quivo.test';
const OTHER = 'https://carrier.test';
const json = { 'content-type': 'application/json' };
const throttled = [429, { message: 'Too Many Requests' }, { ...json, 'x-amzn-ErrorType': 'TooManyRequestsException' }] as const;
const integrationTimeout = [504, { message: 'Endpoint request timed out' }, json] as const;
const unavailable = [503, { message: 'Service Unavailable' }, json] as const;
const expired = [401, { message: 'The incoming token has expired' }, { ...json, 'x-amzn-ErrorType': 'UnauthorizedException' }] as const;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

function setup(options: Partial<QuivoPolicyOptions> = {}) {
  const clock = virtualClock();
  let logins = 0;
  const policy = createQuivoPolicy({
    baseURL: QUIVO,
    apiKey: 'api-key-1',
    login: async () => `token-${++logins}`,
    rateLimit: false,
    clock,
    ...options,
  });
  const instance = axios.create({ baseURL: QUIVO });
  attachQuivo(instance, policy);
  return { instance, policy, clock, logins: () => logins };
}

describe('retries', () => {
  it('retries a POST throttled with 429: the gateway never passed it on', async () => {
    const { instance } = setup();
    nock(QUIVO).post('/orders').reply(...throttled).post('/orders').reply(201, { id: 1 });

    const response = await instance.post('/orders', { positions: [] });

    expect(response.status).toBe(201);
    expect(response.data).toEqual({ id: 1 });
    expect(nock.isDone()).toBe(true);
  });

  it('does not retry a POST that got 504: the order may exist', async () => {
    const { instance } = setup();
    const scope = nock(QUIVO).post('/orders').reply(...integrationTimeout);
    const second = nock(QUIVO).post('/orders').reply(201, { id: 2 });

    const error = await rejection(instance.post('/orders', { positions: [] }));

    expect(error.code).toBe('INTEGRATION_TIMEOUT');
    expect(error.attempts).toBe(1);
    expect(scope.isDone()).toBe(true);
    expect(second.isDone()).toBe(false);
  });

  it('retries that POST when the request says quivo.retryUnsafe', async () => {
    const { instance } = setup();
    nock(QUIVO).post('/orders').reply(...integrationTimeout).post('/orders').reply(201, { id: 3 });

    const response = await instance.post('/orders', { orderIdentifier: 'X' }, { quivo: { retryUnsafe: true } });

    expect(response.status).toBe(201);
  });

  it('makes a single attempt with quivo.retry false', async () => {
    const { instance } = setup();
    nock(QUIVO).get('/stock').reply(...unavailable);
    const second = nock(QUIVO).get('/stock').reply(200, []);

    const error = await rejection(instance.get('/stock', { quivo: { retry: false } }));

    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(second.isDone()).toBe(false);
  });

  it('retries by the policy and settles by validateStatus: a final 503 it accepts resolves', async () => {
    const { instance } = setup({ retry: 2 });
    const scope = nock(QUIVO).get('/stock').times(3).reply(...unavailable);

    const response = await instance.get('/stock', { validateStatus: (status) => status < 600 });

    expect(response.status).toBe(503);
    expect(response.data).toEqual({ message: 'Service Unavailable' });
    expect(scope.isDone()).toBe(true);
  });

  it('waits what Retry-After says before the retry', async () => {
    const { instance, clock } = setup();
    nock(QUIVO)
      .get('/stock')
      .reply(429, { message: 'Too Many Requests' }, { ...json, 'x-amzn-ErrorType': 'TooManyRequestsException', 'Retry-After': '7' })
      .get('/stock')
      .reply(200, []);

    await instance.get('/stock');

    expect(clock.requested).toContain(7000);
  });
});

describe('auth', () => {
  it('refreshes once on 401 and replays with the new token', async () => {
    const { instance, logins } = setup();
    const tokens: unknown[] = [];
    nock(QUIVO)
      .get('/orders')
      .times(2)
      .reply(function () {
        tokens.push(this.req.headers['authorization']);
        return tokens.length === 1 ? [...expired] : [200, { orders: [] }];
      });

    const response = await instance.get('/orders');

    expect(response.data).toEqual({ orders: [] });
    expect(tokens).toEqual(['token-1', 'token-2']);
    expect(logins()).toBe(2);
  });

  it('sends no credentials with quivo.auth false', async () => {
    const { instance, logins } = setup();
    let headers: Record<string, unknown> = {};
    nock(QUIVO)
      .get('/health')
      .reply(function () {
        headers = this.req.headers;
        return [200, 'ok'];
      });

    await instance.get('/health', { quivo: { auth: false } });

    expect(headers).not.toHaveProperty('authorization');
    expect(headers).not.toHaveProperty('x-api-key');
    expect(logins()).toBe(0);
  });

  it('sends no credentials to another origin and does not retry there', async () => {
    const { instance, logins } = setup();
    let headers: Record<string, unknown> = {};
    nock(OTHER)
      .get('/track/1')
      .reply(function () {
        headers = this.req.headers;
        return [...unavailable];
      });
    const second = nock(OTHER).get('/track/1').reply(200, {});

    const error: unknown = await instance.get(`${OTHER}/track/1`).catch((thrown: unknown) => thrown);

    expect(axios.isAxiosError(error) && error.response?.status).toBe(503);
    expect(headers).not.toHaveProperty('authorization');
    expect(headers).not.toHaveProperty('x-api-key');
    expect(second.isDone()).toBe(false);
    expect(logins()).toBe(0);
  });
});

describe("the caller's interceptors", () => {
  it('each run once per logical request, whether added before or after attachQuivo', async () => {
    const clock = virtualClock();
    let logins = 0;
    const policy = createQuivoPolicy({ baseURL: QUIVO, login: async () => `token-${++logins}`, rateLimit: false, clock });
    const instance = axios.create({ baseURL: QUIVO });
    const calls = { requestBefore: 0, requestAfter: 0, responseBefore: 0, responseAfter: 0 };
    instance.interceptors.request.use((config) => {
      calls.requestBefore += 1;
      config.headers.set('X-Added-Before', 'before');
      return config;
    });
    instance.interceptors.response.use((response) => {
      calls.responseBefore += 1;
      return response;
    });
    attachQuivo(instance, policy);
    instance.interceptors.request.use((config) => {
      calls.requestAfter += 1;
      config.headers.set('X-Added-After', 'after');
      return config;
    });
    instance.interceptors.response.use((response) => {
      calls.responseAfter += 1;
      return response;
    });
    const wire: Array<[unknown, unknown]> = [];
    const answers = [expired, unavailable, [200, { ok: true }, json] as const];
    nock(QUIVO)
      .get('/orders')
      .times(3)
      .reply(function () {
        wire.push([this.req.headers['x-added-before'], this.req.headers['x-added-after']]);
        return [...answers[wire.length - 1]!];
      });

    const response = await instance.get('/orders');

    expect(response.data).toEqual({ ok: true });
    expect(calls).toEqual({ requestBefore: 1, requestAfter: 1, responseBefore: 1, responseAfter: 1 });
    expect(wire).toEqual([
      ['before', 'after'],
      ['before', 'after'],
      ['before', 'after'],
    ]);
  });

  it('a config sent again with our adapter still on it gets the policy once, not once per wrap', async () => {
    const policy = createQuivoPolicy({ baseURL: QUIVO, apiKey: 'api-key-1', retry: 2, rateLimit: false, clock: virtualClock() });
    const instance = axios.create({ baseURL: QUIVO });
    let failedOnce = false;
    // Added before attachQuivo, so it runs after ours: its error carries the config that
    // already has the wrapped adapter on it, and the caller sends that config again.
    instance.interceptors.request.use((config) => {
      if (failedOnce) return config;
      failedOnce = true;
      throw Object.assign(new Error('not yet'), { config });
    });
    attachQuivo(instance, policy);
    const first: unknown = await instance.get('/stock').catch((thrown: unknown) => thrown);
    const { config } = first as { config: InternalAxiosRequestConfig };
    expect(config.adapter).toBeTypeOf('function');
    let attempts = 0;
    nock(QUIVO)
      .get('/stock')
      .times(9)
      .reply(() => {
        attempts += 1;
        return [...unavailable];
      });

    const error = await rejection(instance.request(config));

    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    // One policy: the first attempt and its 2 retries. Wrapped twice, it would be 3 x 3.
    expect(attempts).toBe(3);
  });

  it('a response interceptor sees the QuivoError of a failed request once', async () => {
    const { instance } = setup();
    const seen: unknown[] = [];
    instance.interceptors.response.use(undefined, (error: unknown) => {
      seen.push(error);
      return Promise.reject(error);
    });
    nock(QUIVO).get('/orders/1').reply(404, 'Order with ID 1 not found', { 'content-type': 'text/plain' });

    const error = await rejection(instance.get('/orders/1'));

    expect(seen).toEqual([error]);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe('Order with ID 1 not found');
  });
});
