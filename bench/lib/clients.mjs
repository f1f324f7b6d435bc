// The alternatives the benchmarks compare, each behind one shape:
//   client.request(method, path, body?, signal?) -> Promise<{ ok, status, code }>
// which never rejects: a failure is an outcome to count, not an exception to stop the load.
// Competitors are configured as a competent team would configure them today (see bench/README.md).
import { attachQuivo } from '@quivo-resilience/axios';
import { createQuivoPolicy, isQuivoError } from '@quivo-resilience/core';
import { createQuivoFetch } from '@quivo-resilience/fetch';
import axios from 'axios';
import { createAuthRefreshInterceptor } from 'axios-auth-refresh';
import axiosRetry from 'axios-retry';
import ky from 'ky';
import pRetry from 'p-retry';
import { API_KEY, CREDENTIALS } from './simulator-process.mjs';

/** One POST /login with plain fetch; what a client without a token manager does. */
export async function login(url) {
  const response = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: JSON.stringify(CREDENTIALS),
  });
  if (!response.ok) throw new Error(`login failed: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()).Token;
}

/**
 * The token of a hand-written auth setup, shared by every client of one app (as a team would
 * keep it in a module). Counts the logins each client triggered.
 */
export function createTokenStore(url) {
  const store = {
    token: undefined,
    loginsBy: {},
    async login(by) {
      store.loginsBy[by] = (store.loginsBy[by] ?? 0) + 1;
      store.token = await login(url);
      return store.token;
    },
  };
  return store;
}

/** Ours with every feature on: credentials, the adaptive limiter, retries (all defaults). */
export function defaultPolicyOptions(url, extra = {}) {
  return { baseURL: url, apiKey: API_KEY, credentials: { ...CREDENTIALS }, ...extra };
}

export function createPolicy(url, extra) {
  return createQuivoPolicy(defaultPolicyOptions(url, extra));
}

/**
 * axios's own http adapter, optionally counting every attempt that reaches it, optionally
 * with every attempt scheduled through a bottleneck limiter.
 */
function axiosAdapter(onAttempt, limiter) {
  const http = axios.getAdapter('http');
  const counted = onAttempt
    ? (config) => {
        onAttempt();
        return http(config);
      }
    : http;
  return limiter ? (config) => limiter.schedule(() => counted(config)) : counted;
}

function countingFetch(onAttempt) {
  if (!onAttempt) return undefined;
  return (input, init) => {
    onAttempt();
    return fetch(input, init);
  };
}

function axiosOutcome(response) {
  return { ok: true, status: response.status };
}

function axiosFailure(error) {
  if (isQuivoError(error)) return { ok: false, status: error.status, code: error.code };
  return { ok: false, status: error.response?.status, code: error.code ?? error.name };
}

/** Reads the body, as the caller would; a failure while reading it (an abort) is a failure outcome. */
async function fetchOutcome(response) {
  if (response.ok) {
    await (response.status === 204 ? response.text() : response.json());
    return { ok: true, status: response.status };
  }
  await response.text();
  return { ok: false, status: response.status };
}

function fetchFailure(error) {
  if (isQuivoError(error)) return { ok: false, status: error.status, code: error.code };
  return { ok: false, status: error.response?.status ?? error.status, code: error.code ?? error.name };
}

const jsonHeaders = { 'content-type': 'application/json' };

/**
 * Each factory: (ctx) => client. ctx: { url, token?, policy?, policyOptions?, store?, label?,
 * onAttempt? (called once per attempt on the wire), limiter? (a bottleneck for every attempt) }
 */
export const ALTERNATIVES = {
  /** axios with a token fetched once and set as a default header: no retries, no refresh. */
  'axios (bare)': async ({ url, token, onAttempt }) => {
    const instance = axios.create({ baseURL: url, headers: { 'X-Api-Key': API_KEY, Authorization: token ?? (await login(url)) }, adapter: axiosAdapter(onAttempt) });
    return { request: (method, path, body, signal) => instance.request({ method, url: path, data: body, signal }).then(axiosOutcome, axiosFailure) };
  },

  /** fetch with the same static headers. */
  'fetch (bare)': async ({ url, token, onAttempt }) => {
    const headers = { 'x-api-key': API_KEY, authorization: token ?? (await login(url)) };
    const send = countingFetch(onAttempt) ?? fetch;
    return {
      request: (method, path, body, signal) =>
        send(`${url}${path}`, body === undefined ? { method, headers, signal } : { method, headers: { ...headers, ...jsonHeaders }, body: JSON.stringify(body), signal }).then(fetchOutcome).catch(fetchFailure),
    };
  },

  /**
   * Diagnostic: bare fetch plus what any fetch client pays for a per-request timeout, an
   * AbortController whose signal fetch follows and a 30 s timer (cleared once the body is read).
   */
  'fetch + timeout signal (diagnostic)': async ({ url, token }) => {
    const headers = { 'x-api-key': API_KEY, authorization: token ?? (await login(url)) };
    return {
      request: (method, path) => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), 30_000);
        return fetch(`${url}${path}`, { method, headers, signal: controller.signal })
          .then(fetchOutcome)
          .catch(fetchFailure)
          .finally(() => clearTimeout(timer));
      },
    };
  },

  /** attachQuivo on an axios instance; `policy` shared or options of its own. */
  'axios + attachQuivo': async ({ url, policy, policyOptions = {}, onAttempt }) => {
    const instance = axios.create({ baseURL: url, adapter: axiosAdapter(onAttempt) });
    attachQuivo(instance, policy ?? defaultPolicyOptions(url, policyOptions));
    return { request: (method, path, body, signal) => instance.request({ method, url: path, data: body, signal }).then(axiosOutcome, axiosFailure) };
  },

  /** createQuivoFetch; fetch semantics (a final error response resolves). */
  'createQuivoFetch': async ({ url, policy, policyOptions = {}, onAttempt }) => {
    const fetchOptions = onAttempt ? { fetch: countingFetch(onAttempt) } : {};
    // The built-in login must not be counted as an attempt: give the policy plain fetch.
    const quivoFetch = createQuivoFetch(policy ?? defaultPolicyOptions(url, { fetch, ...policyOptions }), fetchOptions);
    return {
      request: (method, path, body, signal) =>
        quivoFetch(`${url}${path}`, body === undefined ? { method, signal } : { method, headers: jsonHeaders, body: JSON.stringify(body), signal }).then(fetchOutcome).catch(fetchFailure),
    };
  },

  /**
   * What axios teams use today: axios-auth-refresh (POST /login on 401, requests stalled while
   * it runs) and axios-retry (3 retries, exponentialDelay, idempotent requests and network
   * errors as by default, plus 429 for every method, since a throttled request never ran).
   */
  'axios-retry + axios-auth-refresh': async ({ url, store = createTokenStore(url), label = 'axios-retry', onAttempt, retryCondition, limiter }) => {
    const instance = axios.create({ baseURL: url, headers: { 'X-Api-Key': API_KEY }, adapter: axiosAdapter(onAttempt, limiter) });
    instance.interceptors.request.use((config) => {
      if (store.token) config.headers.Authorization = store.token;
      return config;
    });
    createAuthRefreshInterceptor(instance, async (failedRequest) => {
      const token = await store.login(label);
      failedRequest.response.config.headers.Authorization = token;
    });
    axiosRetry(instance, {
      retries: 3,
      retryDelay: axiosRetry.exponentialDelay,
      retryCondition: retryCondition ?? ((error) => axiosRetry.isNetworkOrIdempotentRequestError(error) || error.response?.status === 429),
    });
    return { store, request: (method, path, body, signal) => instance.request({ method, url: path, data: body, signal }).then(axiosOutcome, axiosFailure) };
  },

  /**
   * ky 1.x with its default retry (2 retries of GET/PUT/DELETE... on 408/413/429/5xx, 300 ms
   * doubling), a beforeRequest hook adding the token and the afterResponse refresh on 401
   * exactly as ky's readme shows it.
   */
  'ky (default retry)': async ({ url, store = createTokenStore(url), label = 'ky', onAttempt }) => {
    const api = ky.create({
      prefixUrl: url,
      fetch: countingFetch(onAttempt) ?? fetch,
      hooks: {
        beforeRequest: [
          (request, _options, { retryCount }) => {
            request.headers.set('X-Api-Key', API_KEY);
            if (retryCount === 0 && store.token) request.headers.set('Authorization', store.token);
          },
        ],
        afterResponse: [
          async (request, _options, response, state) => {
            if (response.status === 401 && state.retryCount === 0) {
              const token = await store.login(label);
              const headers = new Headers(request.headers);
              headers.set('Authorization', token);
              return ky.retry({ request: new Request(request, { headers }), code: 'TOKEN_REFRESHED' });
            }
          },
        ],
      },
    });
    return {
      store,
      request: (method, path, body, signal) =>
        api(path.slice(1), body === undefined ? { method, signal } : { method, json: body, signal }).then(fetchOutcome).catch((error) => {
          const status = error.response?.status;
          return { ok: false, status, code: error.name };
        }),
    };
  },

  /** p-retry 7 with its defaults (10 retries, 1 s doubling) around fetch that throws on !ok. */
  'p-retry + fetch': async ({ url, token, onAttempt }) => {
    const headers = { 'x-api-key': API_KEY, authorization: token ?? (await login(url)) };
    const send = countingFetch(onAttempt) ?? fetch;
    return {
      request: (method, path, body, signal) =>
        pRetry(async () => {
          const response = await send(`${url}${path}`, body === undefined ? { method, headers, signal } : { method, headers: { ...headers, ...jsonHeaders }, body: JSON.stringify(body), signal });
          if (!response.ok) {
            await response.text();
            const error = new Error(`HTTP ${response.status}`);
            error.status = response.status;
            throw error;
          }
          return response;
        }, signal ? { signal } : {}).then(fetchOutcome).catch(fetchFailure),
    };
  },
};

export async function createClient(name, ctx) {
  const factory = ALTERNATIVES[name];
  if (!factory) throw new Error(`unknown alternative ${name}`);
  return { name, ...(await factory(ctx)) };
}
