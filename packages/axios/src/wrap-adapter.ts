import type { AttemptContext, AttemptResponse, PolicyRequest, QuivoPolicy } from '@quivo-resilience/core';
import axios, { getAdapter } from 'axios';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { toAttemptResponse } from './attempt-response.js';
import { callerCancellation } from './caller-cancellation.js';
import { asCallerError } from './caller-facing-error.js';
import { copyHeaders } from './copy-headers.js';
import { MAX_FETCH_REDIRECTS, followRedirects, followsRedirectsItself, withManualRedirects } from './fetch-redirects.js';
import type { HeldRequest } from './held-request.js';
import { redirectGuard, type BeforeRedirect } from './redirect-guard.js';
import { prepareReplayBody, type ReplayBody } from './replay-body.js';
import type { RequestUrl } from './request-url.js';
import { settleFinalResponse, toRejection } from './settle.js';

/**
 * The adapter one request runs with: it hands the request to the policy, and the policy calls
 * the original adapter once per attempt. It reads the config axios calls it with, so headers
 * and URLs that interceptors running after ours set still reach the wire, and
 * `transformRequest` has already run: every attempt sends the same final bytes.
 */
export function wrapAdapter(requestUrl: RequestUrl, policy: QuivoPolicy, held: HeldRequest): AxiosAdapter {
  return async function quivoAdapter(config) {
    const callerConfig = restoreCallerConfig(config, held);
    const original = resolveOriginalAdapter(held.adapter, callerConfig);
    const url = requestUrl(config);
    if (url === undefined || !policy.appliesTo(url)) return original(callerConfig);

    const cancellation = callerCancellation(callerConfig.signal, callerConfig.cancelToken);
    const request = policyRequest(config, url, cancellation.signal);
    try {
      const prepared = prepareReplayBody(config.data);
      // Most bodies are ready at once; awaiting only a FormData keeps a tick off the rest.
      const body = prepared instanceof Promise ? await prepared : prepared;
      if (body.notReplayable !== undefined) request.notReplayable = body.notReplayable;
      const attemptHeaders = baseAttemptHeaders(config, body);
      const mayCarryCredentials = (target: string): boolean => policy.appliesTo(target);
      const guardRedirect = (names: readonly string[]) => redirectGuard(names, mayCarryCredentials, config.beforeRedirect);
      // Each asked once per request, of the first attempt that needs the answer.
      let followsItself: boolean | undefined;
      let axiosTimesOut: boolean | undefined;
      const send = async (ctx: AttemptContext): Promise<AttemptResponse<AxiosResponse>> => {
        const credentialNames = Object.keys(ctx.headers);
        const following = credentialNames.length > 0 && (followsItself ??= followsRedirectsItself(original, fetchAdapter(config), config));
        try {
          const timed = !following && (axiosTimesOut ??= enforcesTimeout(original, config));
          const attempt = attemptConfig(config, attemptHeaders, body, ctx, guardRedirect, timed);
          const first = following ? withManualRedirects(attempt) : attempt;
          let response = await original(first);
          if (following) {
            const maxRedirects = Math.min(config.maxRedirects ?? MAX_FETCH_REDIRECTS, MAX_FETCH_REDIRECTS);
            response = await followRedirects(first, response, { adapter: original, url, credentialNames, mayCarryCredentials, notReplayable: body.notReplayable, maxRedirects, callerConfig });
          }
          return toAttemptResponse(response, callerConfig);
        } catch (thrown) {
          throw asCallerError(thrown, callerConfig);
        }
      };
      const result = await policy.execute(request, send);
      return settleFinalResponse(result, callerConfig, request);
    } catch (thrown) {
      throw toRejection(thrown, request);
    } finally {
      cancellation.dispose();
    }
  };
}

/**
 * The config as the caller's code should see it in `response.config` and `error.config`: the
 * adapter, signal and cancel token given back, and never the credentials of an attempt. With
 * no signal or token to give back it is this request's own config object (axios merges a new
 * one for every request, and `dispatchRequest` writes to it too), restored in place; with
 * them, a copy, since axios checks the config's signal and token again once the adapter
 * settles and would answer an abort with its own CanceledError. Each attempt sends a copy.
 */
function restoreCallerConfig(config: InternalAxiosRequestConfig, held: HeldRequest): InternalAxiosRequestConfig {
  // An interceptor running after ours may have set a signal of its own; it wins, as in axios.
  const signal = config.signal ?? held.signal;
  const cancelToken = config.cancelToken ?? held.cancelToken;
  const restored = signal === undefined && cancelToken === undefined ? config : { ...config };
  if (held.adapter !== undefined) restored.adapter = held.adapter;
  // Only when present: deleting a property slows every later read of the config.
  else if ('adapter' in restored) delete restored.adapter;
  if (signal !== undefined) restored.signal = signal;
  if (cancelToken !== undefined) restored.cancelToken = cancelToken;
  return restored;
}

function resolveOriginalAdapter(adapter: HeldRequest['adapter'], config: InternalAxiosRequestConfig): AxiosAdapter {
  // dispatchRequest falls back to the library defaults the same way.
  return getAdapter(adapter ?? axios.defaults.adapter, config);
}

/** axios's `http` and `xhr` adapters, resolved once: module-level functions of this axios. */
let builtInAdapters: ReadonlySet<AxiosAdapter> | undefined;

/**
 * Whether `adapter` is one of axios's own, which enforce `timeout` themselves. A custom
 * adapter (a test double, a wrapper of your own) may honour only `signal`: it gets the
 * policy's signal, so the per-attempt timeout holds for it too.
 */
function enforcesTimeout(adapter: AxiosAdapter, config: InternalAxiosRequestConfig): boolean {
  builtInAdapters ??= new Set((['http', 'xhr'] as const).map(builtInAdapter).filter((a): a is AxiosAdapter => a !== undefined));
  return builtInAdapters.has(adapter) || adapter === fetchAdapter(config);
}

function builtInAdapter(name: 'http' | 'xhr'): AxiosAdapter | undefined {
  try {
    return getAdapter(name);
  } catch {
    // Not available in this runtime (xhr in Node, http in a browser).
    return undefined;
  }
}

/** axios's own `fetch` adapter for this config (one per fetch environment), if this axios has one. */
function fetchAdapter(config: InternalAxiosRequestConfig): AxiosAdapter | undefined {
  try {
    return getAdapter('fetch', config);
  } catch {
    // axios before 1.7, or a runtime without fetch.
    return undefined;
  }
}

function policyRequest(config: InternalAxiosRequestConfig, url: string, signal: AbortSignal | undefined): PolicyRequest {
  const request: PolicyRequest = { method: (config.method ?? 'get').toUpperCase(), url };
  if (signal !== undefined) request.signal = signal;
  // axios's `timeout: 0` means "none"; the policy's per-attempt timeout then applies.
  if (typeof config.timeout === 'number' && config.timeout > 0) request.timeoutMs = config.timeout;
  const overrides = config.quivo;
  if (overrides?.retry === false) request.retry = false;
  if (overrides?.retryUnsafe !== undefined) request.retryUnsafe = overrides.retryUnsafe;
  if (overrides?.auth === false) request.auth = false;
  return request;
}

/**
 * The headers every attempt starts from: the request's own, or a copy when the body fixed a
 * Content-Type. Each attempt copies them again; `config.headers` itself is never written.
 */
function baseAttemptHeaders(config: InternalAxiosRequestConfig, body: ReplayBody): InternalAxiosRequestConfig['headers'] {
  if (body.contentType === undefined) return config.headers;
  const headers = copyHeaders(config.headers);
  headers.set('Content-Type', body.contentType, true);
  return headers;
}

/** Every attempt's status goes to the policy; the caller's `validateStatus` judges the final one. */
const acceptEveryStatus = (): boolean => true;

/**
 * One attempt's config: a copy of the request's with this attempt's credentials. With one
 * of axios's own adapters (`timed`), its time limit is axios's `timeout` and its cancellation
 * the caller's signal, which costs far less than a signal of the policy's (axios listens to
 * one per request); the policy reports axios's timeout as its own `TIMEOUT`. A custom adapter,
 * or an attempt whose redirects the wrapper follows itself (it spans several axios calls),
 * takes the policy's signal instead.
 */
function attemptConfig(
  config: InternalAxiosRequestConfig,
  base: InternalAxiosRequestConfig['headers'],
  body: ReplayBody,
  ctx: AttemptContext,
  guardRedirect: (credentialNames: readonly string[]) => BeforeRedirect,
  timed: boolean,
): InternalAxiosRequestConfig {
  const headers = copyHeaders(base);
  const credentialNames = Object.keys(ctx.headers);
  for (const name of credentialNames) headers.set(name, ctx.headers[name], true);
  const attempt: InternalAxiosRequestConfig = {
    ...config,
    headers,
    data: body.data,
    timeout: timed ? ctx.timeoutMs : 0,
    validateStatus: acceptEveryStatus,
  };
  // Unset only when the caller has neither a signal nor a cancel token (then neither is in the config).
  const signal = timed ? ctx.callerSignal : ctx.signal;
  if (signal !== undefined) attempt.signal = signal;
  // axios's default message says "timeout"; a custom one would hide what happened.
  if (attempt.timeoutErrorMessage) attempt.timeoutErrorMessage = '';
  if (credentialNames.length > 0) attempt.beforeRedirect = guardRedirect(credentialNames);
  // The caller's token is part of ctx.callerSignal. Only when present: see above.
  if ('cancelToken' in attempt) delete attempt.cancelToken;
  return attempt;
}
