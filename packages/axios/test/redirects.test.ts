import { createQuivoPolicy } from '@quivo-resilience/core';
import axios from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { gateway, startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { virtualClock } from './helpers/virtual-clock.js';

// Credentials go only to the Quivo origin, also when a response redirects elsewhere.
let quivo: RecordingServer;
let other: RecordingServer;

beforeAll(async () => {
  other = await startRecordingServer((request) => (request.path === '/back-to-quivo' ? { status: 302, headers: { location: `${quivo.url}/stock` } } : gateway.ok({ landed: true })));
  quivo = await startRecordingServer((request) => {
    if (request.path === '/leave') return { status: 302, headers: { location: `${other.url}/landing` } };
    if (request.path === '/move') return { status: 302, headers: { location: '/moved' } };
    if (request.path === '/bounce') return { status: 302, headers: { location: `${other.url}/back-to-quivo` } };
    if (request.path.startsWith('/orders/old')) return { status: Number(request.path.slice('/orders/old-'.length)), headers: { location: '/orders/new' } };
    return gateway.ok();
  });
});
beforeEach(() => {
  quivo.received.length = 0;
  other.received.length = 0;
});
afterAll(async () => {
  await quivo.close();
  await other.close();
});

function setup(adapter?: 'http' | 'fetch') {
  const policy = createQuivoPolicy({ baseURL: quivo.url, apiKey: 'api-key-1', login: async () => 'token-1', rateLimit: false, clock: virtualClock() });
  const instance = axios.create(adapter === undefined ? { baseURL: quivo.url } : { baseURL: quivo.url, adapter });
  attachQuivo(instance, policy);
  return instance;
}

it('drops X-Api-Key and Authorization when a redirect leaves the Quivo origin, and still runs the caller hook', async () => {
  const instance = setup();
  const hooked: string[] = [];

  const response = await instance.get('/leave', { beforeRedirect: (options) => void hooked.push(String(options['href'])) });

  expect(response.data).toEqual({ landed: true });
  expect(quivo.received.find((request) => request.path === '/leave')?.headers['x-api-key']).toBe('api-key-1');
  const landed = other.received.find((request) => request.path === '/landing');
  expect(landed?.headers).not.toHaveProperty('x-api-key');
  expect(landed?.headers).not.toHaveProperty('authorization');
  expect(hooked).toEqual([`${other.url}/landing`]);
});

it('keeps them on a redirect within the Quivo origin', async () => {
  const instance = setup();

  await instance.get('/move');

  const moved = quivo.received.find((request) => request.path === '/moved');
  expect(moved?.headers['x-api-key']).toBe('api-key-1');
});

// axios's fetch adapter has no beforeRedirect, and fetch itself keeps X-Api-Key on a
// cross-origin redirect: attachQuivo follows that adapter's redirects itself.
describe('with the fetch adapter', () => {
  it('drops X-Api-Key and Authorization when a redirect leaves the Quivo origin', async () => {
    const instance = setup('fetch');

    const response = await instance.get('/leave', { headers: { 'X-Trace': 'abc' } });

    expect(response.data).toEqual({ landed: true });
    expect(quivo.received[0]?.headers).toMatchObject({ 'x-api-key': 'api-key-1', authorization: 'token-1' });
    expect(other.received).toHaveLength(1);
    expect(other.received[0]?.path).toBe('/landing');
    expect(other.received[0]?.headers).not.toHaveProperty('x-api-key');
    expect(other.received[0]?.headers).not.toHaveProperty('authorization');
    expect(other.received[0]?.headers['x-trace']).toBe('abc');
  });

  it('does not send them again when the chain comes back to Quivo', async () => {
    const instance = setup('fetch');

    await instance.get('/bounce');

    expect(quivo.received.map((request) => request.path)).toEqual(['/bounce', '/stock']);
    expect(quivo.received[1]?.headers).not.toHaveProperty('x-api-key');
    expect(quivo.received[1]?.headers).not.toHaveProperty('authorization');
  });

  it('keeps them on a redirect within the Quivo origin', async () => {
    const instance = setup('fetch');

    await instance.get('/move');

    expect(quivo.received.map((request) => [request.path, request.headers['x-api-key'], request.headers.authorization])).toEqual([
      ['/move', 'api-key-1', 'token-1'],
      ['/moved', 'api-key-1', 'token-1'],
    ]);
  });

  it.each([
    [303, 'GET', ''],
    [307, 'POST', '{"orderIdentifier":"A-1"}'],
  ])('follows a %i after a POST with %s, as fetch does', async (status, method, body) => {
    const instance = setup('fetch');

    await instance.post(`/orders/old-${status}`, { orderIdentifier: 'A-1' });

    const hop = quivo.received[1];
    expect(hop?.path).toBe('/orders/new');
    expect(hop?.method).toBe(method);
    expect(hop?.body.toString()).toBe(body);
    expect(hop?.headers['x-api-key']).toBe('api-key-1');
  });

  it('leaves the redirect to the caller who asked for maxRedirects: 0', async () => {
    const instance = setup('fetch');

    const response = await instance.get('/leave', { maxRedirects: 0, validateStatus: (status) => status < 400 });

    expect(response.status).toBe(302);
    expect(other.received).toHaveLength(0);
  });
});
