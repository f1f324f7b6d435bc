import { inspect } from 'node:util';
import { createQuivoPolicy } from '@quivo-resilience/core';
import axios, { type AxiosError, type AxiosInstance } from 'axios';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { gateway, startRecordingServer, type RecordingServer, type Reply } from './helpers/recording-server.js';
import { rejection } from './helpers/rejection.js';
import { virtualClock } from './helpers/virtual-clock.js';
import { closedPortOrigin } from './helpers/closed-port.js';

// What Sentry, pino and a console.log of `err.cause` show must not hold the attempt's
// credentials: the cause is the AxiosError of the failed attempt, config and request included.
const API_KEY = 'API-KEY-SECRET-7f3a';
const TOKEN = 'TOKEN-SECRET-91bd';

let server: RecordingServer | undefined;
const releases: Array<() => void> = [];

afterEach(async () => {
  for (const release of releases.splice(0)) release();
  await server?.close();
  server = undefined;
});

function attached(baseURL: string, adapter: 'http' | 'fetch'): AxiosInstance {
  const policy = createQuivoPolicy({ baseURL, apiKey: API_KEY, login: () => Promise.resolve(TOKEN), rateLimit: false, retry: false, clock: virtualClock() });
  const instance = axios.create({ baseURL, adapter });
  attachQuivo(instance, policy);
  return instance;
}

function held(): Promise<Reply> {
  return new Promise((resolve) => releases.push(() => resolve(gateway.ok())));
}

function expectNoCredentials(value: unknown): void {
  const shown = [JSON.stringify(value), inspect(value, { depth: Infinity, showHidden: false })];
  for (const text of shown) {
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(TOKEN);
  }
}

describe.each(['http', 'fetch'] as const)("the cause of a failure through axios's %s adapter", (adapter) => {
  it('for a refused connection: serialised or inspected, it holds neither the token nor the API key', async () => {
    const instance = attached(await closedPortOrigin(), adapter);

    const error = await rejection(instance.post('/orders', { orderIdentifier: 'A-1' }));

    expect(error.code).toBe('NETWORK');
    expectNoCredentials(error.cause);
    const cause = error.cause as AxiosError;
    expect(cause.config?.headers['X-Api-Key']).toBeUndefined();
    expect(cause.request).toBeDefined();
  });

  it('for a timeout', async () => {
    server = await startRecordingServer(() => held());
    const instance = attached(server.url, adapter);

    const error = await rejection(instance.get('/stock', { timeout: 2500 }));

    expect(error.code).toBe('TIMEOUT');
    expectNoCredentials(error.cause);
  });

  it('for an abort while the request is in flight', async () => {
    server = await startRecordingServer(() => held());
    const instance = attached(server.url, adapter);
    const controller = new AbortController();

    const pending = rejection(instance.get('/stock', { signal: controller.signal }));
    await vi.waitFor(() => expect(server?.received).toHaveLength(1));
    controller.abort();
    const error = await pending;

    expect(error.code).toBe('ABORTED');
    expectNoCredentials(error.cause);
  });

  it('for an error response, whose request stays readable', async () => {
    server = await startRecordingServer(() => gateway.unavailable());
    const instance = attached(server.url, adapter);

    const error = await rejection(instance.get('/stock'));

    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expectNoCredentials(error.cause);
    expect((error.cause as AxiosError).response?.request).toBeDefined();
  });
});

describe.each(['http', 'fetch'] as const)("an onRetry listener, through axios's %s adapter", (adapter) => {
  it("reads a cause whose config never gets the next attempt's credentials, while that attempt is in flight", async () => {
    let requests = 0;
    server = await startRecordingServer(() => {
      requests += 1;
      // The first attempt's connection is reset (a GET is retried); the second one hangs.
      return requests === 1 ? Promise.reject(new Error('reset')) : held();
    });
    const policy = createQuivoPolicy({ baseURL: server.url, apiKey: API_KEY, login: () => Promise.resolve(TOKEN), rateLimit: false, clock: virtualClock() });
    const instance = axios.create({ baseURL: server.url, adapter });
    attachQuivo(instance, policy);
    const retried: unknown[] = [];
    policy.onRetry(({ error }) => void retried.push(error.cause));

    const pending = instance.get('/stock');
    await vi.waitFor(() => expect(server?.received).toHaveLength(2));

    expect(retried).toHaveLength(1);
    expectNoCredentials(retried[0]);
    expect((retried[0] as AxiosError).config?.headers['X-Api-Key']).toBeUndefined();
    for (const release of releases.splice(0)) release();
    const response = await pending;
    expect(response.config).not.toBe((retried[0] as AxiosError).config);
  });
});
