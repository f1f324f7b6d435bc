import type { RetryEvent } from '@quivo-resilience/core';
import ky, { HTTPError } from 'ky';
import { createFetch, FetchError } from 'ofetch';
import createClient from 'openapi-fetch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSimulatedQuivo, until, type SimulatedQuivo } from './support/simulated-quivo.js';

/** The part of the simulator's API the openapi-fetch client is typed for (as openapi-typescript writes it). */
interface QuivoPaths {
  '/orders': {
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { 'application/json': { orderIdentifier: string; positions: Array<{ sku: string; quantity: number }> } } };
      responses: {
        201: { headers: Record<string, unknown>; content: { 'application/json': { id: number; orderIdentifier: string; status: string } } };
        400: { headers: Record<string, unknown>; content: { 'text/plain': string } };
      };
    };
  };
  '/orders/{id}': {
    get: {
      parameters: { query?: never; header?: never; path: { id: string }; cookie?: never };
      requestBody?: never;
      responses: {
        200: { headers: Record<string, unknown>; content: { 'application/json': { id: number; orderIdentifier: string } } };
        404: { headers: Record<string, unknown>; content: { 'text/plain': string } };
      };
    };
  };
}

let q: SimulatedQuivo;
let retries: RetryEvent[];
let quivoFetch: typeof fetch;
beforeEach(async () => {
  q = await startSimulatedQuivo();
  const connected = q.connect();
  quivoFetch = connected.quivoFetch;
  retries = [];
  connected.policy.onRetry((event) => retries.push(event));
});
afterEach(() => q.close());

/** Lets the policy's first backoff pass on the test clock. */
async function passFirstBackoff(): Promise<void> {
  await until(() => retries.length === 1, 'the retry');
  await q.clock.advance(retries[0]!.delayMs);
}

const order = (orderIdentifier: string) => ({ orderIdentifier, positions: [{ sku: 'QV-1001', quantity: 2 }] });

describe('ky', () => {
  // ky retries on its own (GET, 429/5xx) and has its own timeout: both off, so the policy
  // alone decides on retries, Retry-After and deadlines, and nothing is retried twice over.
  const client = () => ky.create({ prefixUrl: q.sim.url, fetch: quivoFetch, retry: 0, timeout: false });

  it('logs in, retries a throttled POST through the policy, and parses the answer', async () => {
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'throttle' });
    const pending = client().post('orders', { json: order('ky-1') }).json<{ id: number; orderIdentifier: string }>();
    await passFirstBackoff();
    expect(await pending).toMatchObject({ orderIdentifier: 'ky-1' });
    expect(q.sim.stats().byRoute['POST /orders']).toEqual({ 429: 1, 201: 1 });
    expect(q.sim.stats().logins).toBe(1);
  });

  it("throws ky's HTTPError for the final error response, whose body is still readable", async () => {
    const error = (await client().get('orders/123').catch((e: unknown) => e)) as HTTPError;
    expect(error).toBeInstanceOf(HTTPError);
    expect(error.response.status).toBe(404);
    expect(await error.response.text()).toBe('Order with ID 123 not found');
  });

  it('hands per-request quivo options through to the wrapper', async () => {
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' });
    const pending = client().post('orders', { json: order('ky-2'), quivo: { retryUnsafe: true } } as Parameters<typeof ky.post>[1]);
    await passFirstBackoff();
    expect((await pending).status).toBe(201);
    expect(q.sim.stats().byRoute['POST /orders']).toEqual({ 504: 1, 201: 1 });
  });
});

describe('ofetch', () => {
  // ofetch takes its fetch as a global option (createFetch, or ofetch.create's second
  // argument), not as a request default. It retries GETs once on 408/409/425/429/5xx by
  // default: off, for the same reason as ky's.
  const client = () => createFetch({ fetch: quivoFetch, defaults: { baseURL: q.sim.url, retry: 0 } });

  it('logs in, retries a 503 GET through the policy, and parses the answer', async () => {
    q.sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '503' });
    const pending = client()<Array<{ sku: string }>>('/stock');
    await passFirstBackoff();
    expect((await pending).map((item) => item.sku)).toContain('QV-1001');
    expect(q.sim.stats().byRoute['GET /stock']).toEqual({ 503: 1, 200: 1 });
  });

  it('posts JSON and gets FetchError with the parsed body for an error answer', async () => {
    const created = await client()<{ id: number }>('/orders', { method: 'POST', body: order('of-1') });
    expect(created.id).toBeGreaterThan(0);
    const error = (await client()('/orders', { method: 'POST', body: { orderIdentifier: 'of-2' } }).catch((e: unknown) => e)) as FetchError;
    expect(error).toBeInstanceOf(FetchError);
    expect(error.statusCode).toBe(400);
    expect(error.data).toBe('positions: must not be null');
  });
});

describe('openapi-fetch', () => {
  const client = () => createClient<QuivoPaths>({ baseUrl: q.sim.url, fetch: quivoFetch });

  it('creates and reads an order, a throttled POST retried by the policy', async () => {
    q.sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'throttle' });
    const pending = client().POST('/orders', { body: order('oa-1') });
    await passFirstBackoff();
    const created = await pending;
    expect(created.response.status).toBe(201);
    const id = String(created.data!.id);
    const read = await client().GET('/orders/{id}', { params: { path: { id } } });
    expect(read.data).toMatchObject({ orderIdentifier: 'oa-1' });
    expect(q.sim.stats().byRoute['POST /orders']).toEqual({ 429: 1, 201: 1 });
  });

  it('returns the error answer as `error`, as it does over plain fetch', async () => {
    const result = await client().GET('/orders/{id}', { params: { path: { id: '42' } } });
    expect(result.response.status).toBe(404);
    expect(result.error).toBe('Order with ID 42 not found');
  });
});
