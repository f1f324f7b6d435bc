import { createQuivoPolicy, type QuivoPolicyOptions } from '@quivo-resilience/core';
import axios, { type InternalAxiosRequestConfig } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { gateway, startRecordingServer, type RecordingServer, type Reply, type Responder } from './helpers/recording-server.js';
import { virtualClock, type VirtualClock } from './helpers/virtual-clock.js';
import { rejection } from './helpers/rejection.js';

// Aborts at every wait of the policy, timeouts and network failures, over real loopback I/O.
let server: RecordingServer | undefined;
const releases: Array<() => void> = [];

afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await server?.close();
  server = undefined;
});

/** A reply the test lets out later; the request stays in flight until then. */
function held(reply: Reply): Promise<Reply> {
  return new Promise((resolve) => releases.push(() => resolve(reply)));
}

async function setup(respond: Responder, options: Partial<QuivoPolicyOptions> & { clock?: VirtualClock } = {}) {
  server = await startRecordingServer(respond);
  const clock = options.clock ?? virtualClock();
  const policy = createQuivoPolicy({ baseURL: server.url, apiKey: 'api-key-1', rateLimit: false, ...options, clock });
  const instance = axios.create({ baseURL: server.url });
  attachQuivo(instance, policy);
  return { instance, clock, received: server.received };
}

describe('an abort ends every wait at once with ABORTED', () => {
  it('while queued behind the rate limiter', async () => {
    const { instance, received } = await setup(() => held(gateway.ok()), { rateLimit: { maxConcurrent: 1 } });
    const controller = new AbortController();
    const first = instance.get('/stock');
    const second = instance.get('/orders', { signal: controller.signal });
    await vi.waitFor(() => expect(received).toHaveLength(1));

    controller.abort();
    const error = await rejection(second);

    expect(error.code).toBe('ABORTED');
    expect(error.message).toMatch(/rate limiter/);
    releases.shift()?.();
    await expect(first).resolves.toMatchObject({ status: 200 });
    expect(received.map((request) => request.path)).toEqual(['/stock']);
  });

  it('while waiting out a backoff, whose timer is then cleared', async () => {
    const clock = virtualClock({ parkAtMs: 5000 });
    const { instance, received } = await setup(() => ({ ...gateway.unavailable(), headers: { 'Retry-After': '10' } }), { clock });
    const controller = new AbortController();
    const request = instance.get('/stock', { signal: controller.signal });
    await vi.waitFor(() => expect(clock.parked().map((timer) => timer.delayMs)).toContain(10_000));

    controller.abort();
    const error = await rejection(request);

    expect(error.code).toBe('ABORTED');
    expect(error.message).toMatch(/waiting to retry/);
    expect(clock.parked().map((timer) => timer.delayMs)).not.toContain(10_000);
    expect(received).toHaveLength(1);
  });

  it('while waiting for the refresh after a 401', async () => {
    let logins = 0;
    const login = ({ signal }: { signal: AbortSignal }): Promise<string> => {
      logins += 1;
      if (logins === 1) return Promise.resolve('token-1');
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const { instance, received } = await setup(() => gateway.expired(), { login });
    const controller = new AbortController();
    const request = instance.get('/orders', { signal: controller.signal });
    await vi.waitFor(() => expect(logins).toBe(2));

    controller.abort();
    const error = await rejection(request);

    expect(error.code).toBe('ABORTED');
    expect(error.message).toMatch(/login/);
    expect(received).toHaveLength(1);
  });

  it('through the legacy cancelToken too, with the Cancel as cause', async () => {
    const clock = virtualClock({ parkAtMs: 5000 });
    const { instance } = await setup(() => ({ ...gateway.unavailable(), headers: { 'Retry-After': '10' } }), { clock });
    const source = axios.CancelToken.source();
    const request = instance.get('/stock', { cancelToken: source.token });
    await vi.waitFor(() => expect(clock.parked().map((timer) => timer.delayMs)).toContain(10_000));

    source.cancel('user left the page');
    const error = await rejection(request);

    expect(error.code).toBe('ABORTED');
    expect(axios.isCancel(error.cause)).toBe(true);
  });

  it('before anything was sent when the signal is already aborted', async () => {
    const { instance, received } = await setup(() => gateway.ok());

    const error = await rejection(instance.get('/stock', { signal: AbortSignal.abort() }));

    expect(error.code).toBe('ABORTED');
    expect(received).toHaveLength(0);
  });
});

describe('failures without a response', () => {
  it("enforces the per-attempt timeout through axios's own timeout, reported as TIMEOUT", async () => {
    // A server that never answers: axios's timer (real time, 100 ms) is the only way out.
    const { instance } = await setup(() => held(gateway.ok()));

    const error = await rejection(instance.get('/stock', { timeout: 100, quivo: { retry: false } }));

    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'no response within 100 ms', source: 'client', outcome: 'unknown' });
    expect(error.cause).toMatchObject({ isAxiosError: true, code: 'ECONNABORTED' });
  });

  it('times out an attempt through a custom adapter that honours only the signal', async () => {
    const clock = virtualClock({ parkAtMs: 1000 });
    const policy = createQuivoPolicy({ baseURL: 'https://api.quivo.test', apiKey: 'api-key-1', rateLimit: false, timeoutMs: 2000, clock });
    const instance = axios.create({
      baseURL: 'https://api.quivo.test',
      // Never answers; gives up only when its signal fires (it ignores `timeout`).
      adapter: (config) => new Promise((_, reject) => config.signal?.addEventListener?.('abort', () => reject(new Error('aborted by signal')))),
    });
    attachQuivo(instance, policy);

    const pending = rejection(instance.get('/stock', { quivo: { retry: false } }));
    await vi.waitFor(() => expect(clock.parked().map((t) => t.delayMs)).toContain(2000));
    clock.fireParked(2000);
    const error = await pending;

    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'no response within 2000 ms' });
  });

  it("leaves no credentials on the config when an attempt through a custom adapter that ignores its signal is abandoned", async () => {
    const clock = virtualClock({ parkAtMs: 1000 });
    const policy = createQuivoPolicy({ baseURL: 'https://api.quivo.test', apiKey: 'api-key-1', rateLimit: false, timeoutMs: 2000, clock });
    const sent: unknown[] = [];
    const instance = axios.create({
      baseURL: 'https://api.quivo.test',
      // The first attempt never settles, signal or not; the second answers.
      adapter: (config) => {
        sent.push(config.headers['X-Api-Key']);
        return sent.length === 1 ? new Promise(() => {}) : Promise.resolve({ data: 'ok', status: 200, statusText: 'OK', headers: {}, config, request: {} });
      },
    });
    attachQuivo(instance, policy);

    const pending = instance.get('/stock');
    await vi.waitFor(() => expect(clock.parked().map((t) => t.delayMs)).toContain(2000));
    clock.fireParked(2000);
    const response = await pending;

    expect(sent).toEqual(['api-key-1', 'api-key-1']);
    expect(response.data).toBe('ok');
    expect(response.config.headers['X-Api-Key']).toBeUndefined();
  });

  it('rejects with TIMEOUT when every attempt through a custom adapter hangs, and takes the last one off the config', async () => {
    const clock = virtualClock({ parkAtMs: 1000 });
    const policy = createQuivoPolicy({ baseURL: 'https://api.quivo.test', apiKey: 'api-key-1', rateLimit: false, timeoutMs: 2000, retry: { retries: 1 }, clock });
    const configs: InternalAxiosRequestConfig[] = [];
    const instance = axios.create({
      baseURL: 'https://api.quivo.test',
      adapter: (config) => {
        configs.push(config);
        return new Promise(() => {});
      },
    });
    attachQuivo(instance, policy);

    const pending = rejection(instance.get('/stock'));
    for (const sent of [1, 2]) {
      await vi.waitFor(() => expect(configs).toHaveLength(sent));
      await vi.waitFor(() => expect(clock.parked().map((t) => t.delayMs)).toContain(2000));
      clock.fireParked(2000);
    }
    const error = await pending;

    expect(error).toMatchObject({ code: 'TIMEOUT', attempts: 2 });
    expect(configs[1]?.headers['X-Api-Key']).toBeUndefined();
    expect(configs[1]?.signal).toBeUndefined();
  });

  it('rejects a reset POST with NETWORK, the AxiosError as cause, and does not send it again', async () => {
    const { instance, received } = await setup(() => Promise.reject(new Error('reset')));

    const error = await rejection(instance.post('/orders', { positions: [] }));

    expect(error.code).toBe('NETWORK');
    expect(axios.isAxiosError(error.cause)).toBe(true);
    expect(received).toHaveLength(1);
  });
});
