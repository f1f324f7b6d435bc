import { createQuivoPolicy } from '@quivo-resilience/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createQuivoFetch, quivoInit } from '../src/index.js';
import { startCaptureServer, type CaptureServer } from './support/capture-server.js';
import { createTestClock } from './support/test-clock.js';
import { rejection } from './support/rejection.js';

// Credentials go only under the policy's base, also when an answer redirects elsewhere: fetch
// itself drops only Authorization on a cross-origin redirect, and X-Api-Key would follow.
let quivo: CaptureServer;
let other: CaptureServer;

beforeAll(async () => {
  quivo = await startCaptureServer();
  other = await startCaptureServer();
});
afterAll(async () => {
  await quivo.close();
  await other.close();
});
beforeEach(() => {
  quivo.requests.length = 0;
  other.requests.length = 0;
});

function quivoFetch(options: { fetch?: typeof fetch } = {}) {
  const policy = createQuivoPolicy({ baseURL: quivo.url, apiKey: 'api-key-1', login: () => Promise.resolve('token-1'), rateLimit: false, clock: createTestClock() });
  return createQuivoFetch(policy, options);
}


const redirect = (status: number, location: string) => ({ status, headers: { location } });

describe('a credentialed request that is redirected', () => {
  it('reaches another origin without X-Api-Key or Authorization, and answers with what it got there', async () => {
    quivo.reply(redirect(302, `${other.url}/landing?from=quivo`));
    other.reply({ status: 200, body: 'landed' });

    const response = await quivoFetch()(`${quivo.url}/orders/7/label`, { headers: { 'x-trace': 'abc' } });

    expect(quivo.requests[0]!.headers).toMatchObject({ 'x-api-key': 'api-key-1', authorization: 'token-1' });
    expect(other.requests).toHaveLength(1);
    const landed = other.requests[0]!;
    expect(landed.url).toBe('/landing?from=quivo');
    expect(landed.headers).not.toHaveProperty('x-api-key');
    expect(landed.headers).not.toHaveProperty('authorization');
    expect(landed.headers['x-trace']).toBe('abc');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('landed');
    expect(response.url).toBe(`${other.url}/landing?from=quivo`);
    expect(response.redirected).toBe(true);
  });

  it('keeps them on a redirect that stays under the Quivo base', async () => {
    quivo.reply(redirect(301, '/orders/8'));

    const response = await quivoFetch()(`${quivo.url}/orders/7`);

    expect(response.status).toBe(200);
    expect(quivo.requests.map((request) => [request.url, request.headers['x-api-key'], request.headers.authorization])).toEqual([
      ['/orders/7', 'api-key-1', 'token-1'],
      ['/orders/8', 'api-key-1', 'token-1'],
    ]);
  });

  it('does not get them back when the chain returns to Quivo after leaving it', async () => {
    quivo.reply(redirect(302, `${other.url}/bounce`));
    other.reply(redirect(302, `${quivo.url}/orders`));

    await quivoFetch()(`${quivo.url}/orders/7`);

    const back = quivo.requests[1]!;
    expect(back.url).toBe('/orders');
    expect(back.headers).not.toHaveProperty('x-api-key');
    expect(back.headers).not.toHaveProperty('authorization');
  });

  it.each([
    [303, 'GET', ''],
    [302, 'GET', ''],
    [307, 'POST', '{"orderIdentifier":"A-1"}'],
    [308, 'POST', '{"orderIdentifier":"A-1"}'],
  ])('a %i after a POST is followed with %s, as fetch does', async (status, method, body) => {
    quivo.reply(redirect(status, '/orders/v2'));

    await quivoFetch()(`${quivo.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"orderIdentifier":"A-1"}' });

    const hop = quivo.requests[1]!;
    expect(hop.method).toBe(method);
    expect(hop.body.toString()).toBe(body);
    expect(hop.headers['content-type']).toBe(body === '' ? undefined : 'application/json');
    expect(hop.headers['x-api-key']).toBe('api-key-1');
  });

  it('is not followed when the caller asked for redirect: manual', async () => {
    quivo.reply(redirect(302, `${other.url}/landing`));

    const response = await quivoFetch()(`${quivo.url}/orders`, { redirect: 'manual' });

    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${other.url}/landing`);
    expect(other.requests).toHaveLength(0);
  });

  it('rejects after 20 redirects, as fetch does', async () => {
    quivo.reply(...Array.from({ length: 21 }, () => redirect(302, '/loop')));

    const error = await rejection(quivoFetch()(`${quivo.url}/loop`, quivoInit({ quivo: { retry: false } })));

    expect(error.message).toMatch(/redirect count exceeded/);
    expect(quivo.requests).toHaveLength(21);
  });

  it('rejects where the runtime hides the redirect (a browser opaque redirect) and follows nothing', async () => {
    const sent: Request[] = [];
    // What a browser's fetch answers to `redirect: 'manual'`: status 0, no Location to read.
    const browserFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      // What was sent, whether the wrapper passed a Request or a URL and an init.
      sent.push(new Request(input, init));
      const opaque = new Response(null, { status: 200 });
      Object.defineProperties(opaque, { type: { value: 'opaqueredirect' }, status: { value: 0 } });
      return opaque;
    }) as typeof fetch;

    const error = await rejection(quivoFetch({ fetch: browserFetch })(`${quivo.url}/orders`));

    expect(error.message).toMatch(/opaque redirect/);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.redirect).toBe('manual');
    expect(sent[0]!.headers.get('x-api-key')).toBe('api-key-1');
  });
});

describe('a POST answered with a redirect', () => {
  const created = () => quivo.requests.filter((request) => request.method === 'POST');
  const strict = quivoInit({ method: 'POST', body: '{"sku":"A-1"}', quivo: { throwHttpErrors: true } });

  it('is not sent again when the GET after a 303 is throttled: the order exists', async () => {
    quivo.reply(redirect(303, '/orders/7'), { status: 429, headers: { 'x-amzn-ErrorType': 'TooManyRequestsException' }, body: '{"message":"Too Many Requests"}' });

    const error = await rejection(quivoFetch()(`${quivo.url}/orders`, strict));

    expect(error).toMatchObject({ code: 'THROTTLED', attempts: 1 });
    expect(error.trail.at(-1)).toMatchObject({ action: 'give-up', reason: 'no retry: POST was answered with a redirect, so it has run' });
    expect(quivo.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['POST /orders', 'GET /orders/7']);
  });

  it('is not sent again, without credentials either, when the redirect target refuses the connection', async () => {
    const closed = await startCaptureServer();
    await closed.close();
    quivo.reply(redirect(303, `${closed.url}/orders/7`));

    const error = await rejection(quivoFetch()(`${quivo.url}/orders`, quivoInit({ ...strict, quivo: { auth: false, throwHttpErrors: true } })));

    expect(error).toMatchObject({ code: 'NETWORK', attempts: 1 });
    expect(created()).toHaveLength(1);
  });

  it('answered with a 307 is refreshed and sent again when its target refuses the token: it had not run', async () => {
    quivo.reply(redirect(307, '/v2/orders'), { status: 401, headers: { 'x-amzn-ErrorType': 'UnauthorizedException' }, body: '{"message":"The incoming token has expired"}' }, redirect(307, '/v2/orders'), { status: 201, body: '{"id":7}' });

    const response = await quivoFetch()(`${quivo.url}/orders`, strict);

    expect(response.status).toBe(201);
    expect(quivo.requests.map((request) => `${request.method} ${request.url} ${request.body.toString()}`)).toEqual(
      Array.from({ length: 2 }, () => ['POST /orders {"sku":"A-1"}', 'POST /v2/orders {"sku":"A-1"}']).flat(),
    );
  });

  it('leaves a redirected GET free to be tried again', async () => {
    const clock = createTestClock();
    const policy = createQuivoPolicy({ baseURL: quivo.url, apiKey: 'api-key-1', login: () => Promise.resolve('token-1'), rateLimit: false, clock });
    quivo.reply(redirect(302, '/orders/7'), { status: 503, body: 'Service Unavailable' });

    const pending = createQuivoFetch(policy)(`${quivo.url}/orders/latest`);
    while (quivo.requests.length < 3) await clock.advance(100);
    const response = await pending;

    expect(response.status).toBe(200);
    expect(quivo.requests.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /orders/latest', 'GET /orders/7', 'GET /orders/latest']);
  });
});
