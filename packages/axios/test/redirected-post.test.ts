import { createQuivoPolicy } from '@quivo-resilience/core';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { gateway, startRecordingServer, type RecordingServer, type Reply } from './helpers/recording-server.js';
import { rejection } from './helpers/rejection.js';
import { virtualClock } from './helpers/virtual-clock.js';
import { closedPortOrigin } from './helpers/closed-port.js';

// Post/Redirect/Get: `POST /orders` creates the order and answers 303. Whatever befalls the GET
// that follows (a gateway 429 or 401, a refused connection: all "never reached the backend" on
// their own) must not send the POST again, or one call creates two orders.
const GAVE_UP_AFTER_REDIRECT = 'no retry: POST was answered with a redirect, so it has run';

type NextHop = 'ok' | 'throttled' | 'expired';

let quivo: RecordingServer;
let refusedOrigin: string;
let nextHop: NextHop = 'ok';
let ordersCreated = 0;

beforeAll(async () => {
  refusedOrigin = await closedPortOrigin();
  quivo = await startRecordingServer((request): Reply => {
    if (request.method === 'POST' && request.path.startsWith('/orders')) {
      ordersCreated += 1;
      const away = request.path.includes('away=1');
      return { status: 303, headers: { location: away ? `${refusedOrigin}/orders/${ordersCreated}` : `/orders/${ordersCreated}` } };
    }
    if (request.path === '/stock-old') return { status: 302, headers: { location: '/stock' } };
    // 307 keeps the method and the body: the POST has not run here, only where it points.
    if (request.method === 'POST' && request.path === '/moved-orders') return { status: 307, headers: { location: '/v2/orders' } };
    if (request.method === 'POST' && request.path === '/v2/orders') {
      const hop = nextHop;
      nextHop = 'ok';
      if (hop === 'expired') return gateway.expired();
      ordersCreated += 1;
      return gateway.ok({ created: ordersCreated });
    }
    const hop = nextHop;
    nextHop = 'ok';
    if (hop === 'throttled') return gateway.throttled();
    if (hop === 'expired') return gateway.expired();
    return gateway.ok({ path: request.path });
  });
});
beforeEach(() => {
  quivo.received.length = 0;
  ordersCreated = 0;
  nextHop = 'ok';
});
afterAll(async () => {
  await quivo.close();
});

function attached(adapter: 'http' | 'fetch'): AxiosInstance {
  const policy = createQuivoPolicy({ baseURL: quivo.url, apiKey: 'api-key-1', login: async () => 'token-1', rateLimit: false, clock: virtualClock() });
  const instance = axios.create({ baseURL: quivo.url, adapter });
  attachQuivo(instance, policy);
  return instance;
}

const order = { orderIdentifier: 'A-1' };

describe.each(['http', 'fetch'] as const)("a POST answered with a 303, through axios's %s adapter", (adapter) => {
  it.each([
    ['throttled', 'THROTTLED'],
    ['expired', 'TOKEN_EXPIRED'],
  ] as const)('whose GET is %s, creates one order and is not sent again', async (hop, code) => {
    const instance = attached(adapter);
    nextHop = hop;

    const error = await rejection(instance.post('/orders', order));

    expect(ordersCreated).toBe(1);
    expect(error.code).toBe(code);
    expect(error.attempts).toBe(1);
    expect(error.trail.at(-1)?.reason).toBe(GAVE_UP_AFTER_REDIRECT);
  });

  it('whose GET is refused, creates one order and is not sent again', async () => {
    const instance = attached(adapter);

    const error = await rejection(instance.post('/orders?away=1', order));

    expect(ordersCreated).toBe(1);
    expect(error.code).toBe('NETWORK');
    expect(error.trail.at(-1)?.reason).toBe(GAVE_UP_AFTER_REDIRECT);
  });

  it('without credentials (auth: false), is not sent again either', async () => {
    const instance = attached(adapter);
    nextHop = 'throttled';

    const throttled = await rejection(instance.post('/orders', order, { quivo: { auth: false } }));
    const refused = await rejection(instance.post('/orders?away=1', order, { quivo: { auth: false } }));

    expect(ordersCreated).toBe(2);
    expect(throttled.trail.at(-1)?.reason).toBe(GAVE_UP_AFTER_REDIRECT);
    expect(refused.trail.at(-1)?.reason).toBe(GAVE_UP_AFTER_REDIRECT);
  });

  it('resolves with the final answer when validateStatus accepts it, still after one order', async () => {
    const instance = attached(adapter);
    nextHop = 'throttled';

    const response = await instance.post('/orders', order, { validateStatus: () => true });

    expect(ordersCreated).toBe(1);
    expect(response.status).toBe(429);
  });

  it('is sent again when the caller allows it with retryUnsafe', async () => {
    const instance = attached(adapter);
    nextHop = 'throttled';

    const response = await instance.post('/orders', order, { quivo: { retryUnsafe: true } });

    expect(ordersCreated).toBe(2);
    expect(response.data).toEqual({ path: '/orders/2' });
  });

  it('answered with a 307 whose target refuses the token, is refreshed and sent again: it had not run', async () => {
    const instance = attached(adapter);
    nextHop = 'expired';

    const response = await instance.post('/moved-orders', order);

    expect(response.data).toEqual({ created: 1 });
    expect(ordersCreated).toBe(1);
    expect(quivo.received.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /moved-orders', 'POST /v2/orders', 'POST /moved-orders', 'POST /v2/orders']);
  });

  it('a GET whose redirect target is throttled is still retried', async () => {
    const instance = attached(adapter);
    nextHop = 'throttled';

    const response = await instance.get('/stock-old');

    expect(response.data).toEqual({ path: '/stock' });
    expect(quivo.received.map((request) => request.path)).toEqual(['/stock-old', '/stock', '/stock-old', '/stock']);
  });
});
