import { createQuivoPolicy, type QuivoPolicy, type QuivoPolicyOptions } from '@quivo-resilience/core';
import { SIMULATOR_DEFAULTS, startQuivoSimulator, type QuivoSimulator, type SimulatorOptions } from '@quivo-resilience/simulator';
// Whichever axios the including test file resolves 'axios' to: the current one, or the oldest
// supported one through vi.mock. attachQuivo's own `import 'axios'` follows the same mock.
import axios, { type AxiosAdapter, type AxiosInstance, type AxiosResponse } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { virtualClock, type VirtualClock } from './helpers/virtual-clock.js';
import { rejection } from './helpers/rejection.js';

const order = (orderIdentifier: string) => ({ orderIdentifier, positions: [{ sku: 'SKU-1', quantity: 1 }] });

/** The integration tests against the simulator, run once per supported end of the axios range. */
export function simulatorSuite(expectedAxiosVersion: string): void {
  describe(`attachQuivo on axios ${expectedAxiosVersion}, against the simulator`, () => {
    let sim: QuivoSimulator | undefined;
    let clock: VirtualClock;

    afterEach(async () => {
      await sim?.close();
      sim = undefined;
    });

    async function start(simulator: SimulatorOptions = {}, policyOptions: Partial<QuivoPolicyOptions> = {}) {
      clock = virtualClock();
      // One time line for both sides: the simulator's token expiry follows the policy's clock.
      sim = await startQuivoSimulator({ clock, ...simulator });
      const policy = createQuivoPolicy({
        baseURL: sim.url,
        apiKey: SIMULATOR_DEFAULTS.apiKey,
        credentials: { ...SIMULATOR_DEFAULTS.user },
        clock,
        ...policyOptions,
      });
      return { sim, policy, instance: attached(sim, policy) };
    }

    function attached(simulator: QuivoSimulator, policy: QuivoPolicy, adapter?: AxiosAdapter): AxiosInstance {
      const instance = axios.create(adapter === undefined ? { baseURL: simulator.url } : { baseURL: simulator.url, adapter });
      attachQuivo(instance, policy);
      return instance;
    }

    it('runs the axios version it names', () => {
      expect(axios.VERSION).toBe(expectedAxiosVersion);

    });

    it('logs in once for N concurrent requests, and once more when all their tokens expire', async () => {
      const { sim, instance } = await start();

      const first = await Promise.all(Array.from({ length: 8 }, () => instance.get('/orders')));
      sim.expireTokens();
      const second = await Promise.all(Array.from({ length: 8 }, () => instance.get('/stock')));

      expect([...first, ...second].every((response) => response.status === 200)).toBe(true);
      expect(sim.stats().logins).toBe(2);
      expect(sim.stats().byRoute['GET /stock']).toEqual({ 200: 8, 401: 8 });
    });

    it('replays a request refused on a token older than the latest refresh without logging in again', async () => {
      const { sim, policy, instance } = await start();
      await instance.get('/orders');
      // The slow request's first attempt leaves with token 1 and is held before the wire.
      const http = axios.getAdapter('http');
      let heldOnce = false;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => (release = resolve));
      let reachedGate: () => void = () => {};
      const atGate = new Promise<void>((resolve) => (reachedGate = resolve));
      const slow = attached(sim, policy, async (config) => {
        if (!heldOnce) {
          heldOnce = true;
          reachedGate();
          await gate;
        }
        return http(config);
      });
      const slowRequest = slow.get('/stock');
      await atGate;

      sim.expireTokens();
      await instance.get('/orders');
      expect(sim.stats().logins).toBe(2);
      release();
      const response = await slowRequest;

      expect(response.status).toBe(200);
      expect(sim.stats().byRoute['GET /stock']).toEqual({ 200: 1, 401: 1 });
      expect(sim.stats().logins).toBe(2);
    });

    it('rejects every waiting request with AUTH_FAILED when the login fails; none hangs', async () => {
      const { sim, instance } = await start({}, { credentials: { username: SIMULATOR_DEFAULTS.user.username, password: 'wrong' } });

      const errors = await Promise.all(Array.from({ length: 5 }, () => rejection(instance.get('/orders'))));

      expect(errors.map((error) => error.code)).toEqual(Array(5).fill('AUTH_FAILED'));
      expect(sim.stats().byRoute['GET /orders']).toBeUndefined();
      // The next request tries a fresh login rather than reusing the failure.
      await rejection(instance.get('/orders'));
      expect(sim.stats().byRoute['POST /login']?.[401]).toBe(2);
    });

    it('retries a POST the usage plan throttled, honouring Retry-After', async () => {
      const { sim, instance } = await start({ retryAfterSeconds: 2 });
      sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: 'throttle' });

      const response = await instance.post('/orders', order('THROTTLED-1'));

      expect(response.status).toBe(201);
      expect(response.data).toMatchObject({ orderIdentifier: 'THROTTLED-1' });
      expect(sim.stats().byRoute['POST /orders']).toEqual({ 201: 1, 429: 1 });
      expect(clock.requested).toContain(2000);
    });

    it('does not replay a POST that got 504: one order, no duplicate', async () => {
      const { sim, instance } = await start();
      sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' });

      const error = await rejection(instance.post('/orders', order('ONCE-1')));

      expect(error.code).toBe('INTEGRATION_TIMEOUT');
      expect(axios.isAxiosError(error.cause) && error.cause.response?.status).toBe(504);
      // Built by attachQuivo from its own 'axios' import: the same copy as the test's.
      expect(error.cause).toBeInstanceOf(axios.AxiosError);
      expect(sim.stats()).toMatchObject({ ordersCreated: 1, duplicateOrders: 0 });
      expect(sim.stats().byRoute['POST /orders']).toEqual({ 504: 1 });
    });

    it('retries a GET that got 504, as GET is idempotent, and leaves the caller config as it was', async () => {
      const { sim, instance } = await start();
      sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '504', times: 2 });
      const config = { url: '/stock', params: { warehouse: 'VIE-1' }, headers: { 'X-Trace-Id': 'trace-7' }, quivo: { retryUnsafe: false } };
      const before = structuredClone(config);

      const response = await instance.request(config);

      expect(response.status).toBe(200);
      expect(sim.stats().byRoute['GET /stock']).toEqual({ 200: 1, 504: 2 });
      expect(config).toStrictEqual(before);
    });

    it('lets two instances (two services of one app) share one policy and so one login', async () => {
      const { sim, policy, instance } = await start();
      const other = attached(sim, policy);

      await Promise.all([instance.get('/orders'), other.get('/stock'), other.post('/orders', order('SHARED-1'))]);

      expect(sim.stats().logins).toBe(1);
    });

    it('runs request and response interceptors once per request through a refresh and a retry', async () => {
      const { sim, policy } = await start();
      const instance = axios.create({ baseURL: sim.url });
      const calls: string[] = [];
      instance.interceptors.request.use((config) => (calls.push('request before'), config));
      instance.interceptors.response.use((response) => (calls.push('response before'), response));
      attachQuivo(instance, policy);
      instance.interceptors.request.use((config) => (calls.push('request after'), config));
      instance.interceptors.response.use((response) => (calls.push('response after'), response));
      await instance.get('/orders');
      calls.length = 0;
      sim.expireTokens();
      sim.faults.push({ match: { method: 'GET', path: '/stock' }, fault: '503' });

      await instance.get('/stock');

      expect(sim.stats().byRoute['GET /stock']).toEqual({ 200: 1, 401: 1, 503: 1 });
      expect(calls).toEqual(['request after', 'request before', 'response before', 'response after']);
    });

    it('leaves the instance as it was after eject', async () => {
      const { sim, policy } = await start();
      const instance = axios.create({ baseURL: sim.url, headers: { 'X-Client': 'shop' } });
      instance.interceptors.request.use((config) => config);
      const handlersBefore = [...(instance.interceptors.request as unknown as { handlers: unknown[] }).handlers];
      const defaultsBefore = structuredClone(withoutFunctions(instance.defaults));

      const eject = attachQuivo(instance, policy);
      await instance.get('/orders');
      eject();
      const response: AxiosResponse = await instance.get('/orders', { validateStatus: () => true });

      expect((instance.interceptors.request as unknown as { handlers: unknown[] }).handlers).toEqual(handlersBefore);
      expect(withoutFunctions(instance.defaults)).toEqual(defaultsBefore);
      // No credentials any more: API Gateway refuses the request without an API key.
      expect(response.status).toBe(403);
      expect(sim.stats().logins).toBe(1);
    });
  });
}

/** The defaults' data, for a deep comparison (functions cannot be cloned). */
function withoutFunctions(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_key, field: unknown) => (typeof field === 'function' ? `function ${(field as { name: string }).name}` : field)));
}
