import { isQuivoError, type QuivoError, type RefreshEvent } from '@quivo-resilience/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createQuivoFetch, quivoInit } from '../src/index.js';
import { API_KEY, startSimulatedQuivo, until, USER, type SimulatedQuivo } from './support/simulated-quivo.js';

let q: SimulatedQuivo;
beforeEach(async () => {
  q = await startSimulatedQuivo();
});
afterEach(() => q.close());

const N = 20;
const getOrders = (quivoFetch: typeof fetch, count = N) => Promise.all(Array.from({ length: count }, () => quivoFetch(`${q.sim.url}/orders`)));

describe('session token', () => {
  it('N concurrent first requests share one login', async () => {
    const { quivoFetch } = q.connect();
    const responses = await getOrders(quivoFetch);
    expect(responses.map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(q.sim.stats().logins).toBe(1);
  });

  it('a 401 storm: N requests meet an expired token, one login, all replayed and answered', async () => {
    const { policy, quivoFetch } = q.connect();
    await getOrders(quivoFetch, 1);
    const refreshes: RefreshEvent[] = [];
    policy.onRefresh((event) => refreshes.push(event));
    q.sim.expireTokens();
    q.sim.resetStats();

    const responses = await getOrders(quivoFetch);
    expect(responses.map((r) => r.status)).toEqual(Array(N).fill(200));
    expect(q.sim.stats().logins).toBe(1);
    expect(q.sim.stats().byRoute['GET /orders']).toEqual({ 401: N, 200: N });
    expect(refreshes.map((e) => [e.reason, e.outcome])).toEqual([['expired', 'success']]);
  });

  it('a stale-token 401 that arrives after the refresh replays with the new token: no second login', async () => {
    // Request B's 401 is held back until A's refresh is done, so it reaches the policy carrying
    // a token that has already been replaced.
    let refreshed = false;
    const gatedFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const request = new Request(input, init);
      if (request.headers.get('x-test') === 'B' && response.status === 401) await until(() => refreshed, 'the refresh');
      return response;
    };
    const { policy, quivoFetch } = q.connect({}, { fetch: gatedFetch });
    await quivoFetch(`${q.sim.url}/stock`);
    policy.onRefresh(() => {
      refreshed = true;
    });
    q.sim.faults.push({ match: { path: '/orders' }, fault: 'expired', times: 2 });

    const [a, b] = await Promise.all([
      quivoFetch(`${q.sim.url}/orders`, { headers: { 'x-test': 'A' } }),
      quivoFetch(`${q.sim.url}/orders`, { headers: { 'x-test': 'B' } }),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(q.sim.stats().logins).toBe(2);
  });

  it('a failed login rejects every waiting request with AUTH_FAILED, and the next request logs in afresh', async () => {
    const { quivoFetch } = q.connect({ credentials: { username: 'demo', password: 'wrong' } });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => quivoFetch(`${q.sim.url}/orders`)));
    const errors = outcomes.map((o) => (o.status === 'rejected' ? (o.reason as QuivoError) : undefined));
    expect(errors.every((e) => isQuivoError(e) && e.code === 'AUTH_FAILED' && e.cause !== undefined)).toBe(true);
    expect(q.sim.stats().byRoute['POST /login']).toEqual({ 401: 1 });
    expect(q.sim.stats().byRoute['GET /orders']).toBeUndefined();

    await expect(quivoFetch(`${q.sim.url}/orders`)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(q.sim.stats().byRoute['POST /login']).toEqual({ 401: 2 });
  });

  it('built from options, its login goes through the given fetch, never through the wrapper', async () => {
    const seen: string[] = [];
    const recordingFetch: typeof fetch = (input, init) => {
      const request = new Request(input, init);
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return fetch(request);
    };
    const quivoFetch = createQuivoFetch(
      { baseURL: q.sim.url, apiKey: API_KEY, credentials: USER, clock: q.clock, rateLimit: false },
      { fetch: recordingFetch },
    );
    expect((await quivoFetch(`${q.sim.url}/stock`)).status).toBe(200);
    expect(seen).toEqual(['POST /login', 'GET /stock']);
  });

  it('auth: false sends no credentials and does not log in', async () => {
    const { quivoFetch } = q.connect();
    const response = await quivoFetch(`${q.sim.url}/stock`, quivoInit({ quivo: { auth: false } }));
    // No X-Api-Key: API Gateway refuses before the authorizer runs.
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ message: 'Forbidden' });
    expect(q.sim.stats().logins).toBe(0);
  });
});
