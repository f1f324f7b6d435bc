import { createQuivoPolicy } from '@quivo-resilience/core';
import axios from 'axios';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { gateway, startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { virtualClock } from './helpers/virtual-clock.js';

// Credentials go only to the Quivo origin, also when a response redirects elsewhere.
let quivo: RecordingServer;
let other: RecordingServer;

beforeAll(async () => {
  other = await startRecordingServer(() => gateway.ok({ landed: true }));
  quivo = await startRecordingServer((request) => {
    if (request.path === '/leave') return { status: 302, headers: { location: `${other.url}/landing` } };
    if (request.path === '/move') return { status: 302, headers: { location: '/moved' } };
    return gateway.ok();
  });
});
afterAll(async () => {
  await quivo.close();
  await other.close();
});

function setup() {
  const policy = createQuivoPolicy({ baseURL: quivo.url, apiKey: 'api-key-1', login: async () => 'token-1', rateLimit: false, clock: virtualClock() });
  const instance = axios.create({ baseURL: quivo.url });
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
