import { isIdempotentMethod, MANUAL_REDIRECTS_VISIBLE, QuivoError } from '@quivo-resilience/core';
import type { AttemptContext, AttemptResponse, PolicyRequest, QuivoPolicy } from '@quivo-resilience/core';
import axios, { getAdapter } from 'axios';
import type { AxiosAdapter, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import { adapterKind } from './adapter-kind.js';
import { AttemptConfig } from './attempt-config.js';
import { toAttemptResponse } from './attempt-response.js';
import { callerCancellation } from './caller-cancellation.js';
import { asCallerError } from './caller-facing-error.js';
import { copyHeaders } from './copy-headers.js';
import { MAX_FETCH_REDIRECTS, followRedirects, followsRedirectsItself, withManualRedirects } from './fetch-redirects.js';
import type { HeldRequest } from './held-request.js';
import { redirectGuard } from './redirect-guard.js';
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
    const url = requestUrl(config);
    // Not ours: axios's adapter, and axios's own errors, as if attachQuivo were not there.
    if (url === undefined || !policy.appliesTo(url)) return namedAdapter(held.adapter, callerConfig)(callerConfig);

    const cancellation = callerCancellation(callerConfig.signal, callerConfig.cancelToken);
    const request = policyRequest(config, url, cancellation.signal);
    // The attempt whose fields are on the config. The policy ends an attempt whose custom
    // adapter ignores its signal without waiting for it: the next attempt, or the end of the
    // request, takes those fields off (axios would read that attempt's aborted signal, and the
    // caller its credentials).
    let applied: AttemptConfig | undefined;
    try {
      const original = resolveOriginalAdapter(held.adapter, callerConfig, request);
      const prepared = prepareReplayBody(config.data);
      // Most bodies are ready at once; awaiting only a FormData keeps a tick off the rest.
      const body = prepared instanceof Promise ? await prepared : prepared;
      if (body.notReplayable !== undefined) request.notReplayable = body.notReplayable;
      const attemptHeaders = baseAttemptHeaders(config, body);
      const mayCarryCredentials = (target: string): boolean => policy.appliesTo(target);
      const callerBeforeRedirect = config.beforeRedirect;
      const kind = adapterKind(original, config);
      const followsItself = followsRedirectsItself(kind, config);
      const send = async (ctx: AttemptContext): Promise<AttemptResponse<AxiosResponse>> => {
        applied?.restore();
        const credentialNames = Object.keys(ctx.headers);
        // A hop must be seen when it has credentials to guard, or when it turns the request
        // into one that has run (a 303 after a POST): credentials first, so the usual attempt
        // asks nothing more. Followed by hand for the latter only where a manual redirect is
        // readable (not in a browser, where refusing it would fail a POST fetch would follow).
        const unsafe = credentialNames.length === 0 && !isIdempotentMethod(request.method);
        const watchesRedirects = credentialNames.length > 0 || unsafe;
        let attempt: AttemptConfig | undefined;
        const following = followsItself && (credentialNames.length > 0 || (unsafe && MANUAL_REDIRECTS_VISIBLE));
        try {
          // axios's own adapters enforce `timeout`; a custom one may honour only a signal.
          const timed = !following && kind !== 'custom';
          const beforeRedirect = watchesRedirects ? redirectGuard(ctx, request.method, credentialNames, mayCarryCredentials, callerBeforeRedirect) : undefined;
          attempt = applied = new AttemptConfig(config, attemptHeaders, body, ctx, beforeRedirect, timed);
          const first = following ? withManualRedirects(attempt.config) : attempt.config;
          let response = await original(first);
          if (following) {
            const maxRedirects = Math.min(config.maxRedirects ?? MAX_FETCH_REDIRECTS, MAX_FETCH_REDIRECTS);
            response = await followRedirects(first, response, { adapter: original, attempt: ctx, url, credentialNames, mayCarryCredentials, notReplayable: body.notReplayable, maxRedirects, callerConfig });
          }
          return toAttemptResponse(response, callerConfig);
        } catch (thrown) {
          // The attempt's fields come off the request's config before an error points at it.
          attempt?.restore();
          throw asCallerError(thrown, callerConfig === config ? () => ({ ...config }) : () => callerConfig);
        } finally {
          attempt?.restore();
        }
      };
      const result = await policy.execute(request, send);
      return settleFinalResponse(result, callerConfig, request);
    } catch (thrown) {
      throw toRejection(thrown, request);
    } finally {
      applied?.restore();
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
 * settles and would answer an abort with its own CanceledError. Each attempt sets its own
 * fields on the request's config and puts them back when it settles (`AttemptConfig`), so a
 * failed attempt's error gets a copy of the request's config: it may be read (an `onRetry`
 * listener, a logger) while the next attempt has its credentials on the original.
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

/** The adapter the config names, as dispatchRequest resolves it (falling back to the library defaults). */
function namedAdapter(adapter: HeldRequest['adapter'], config: InternalAxiosRequestConfig): AxiosAdapter {
  return getAdapter(adapter ?? axios.defaults.adapter, config);
}

/**
 * `namedAdapter` for a Quivo request: one that does not exist here (`xhr` in Node, a misspelt
 * name) is a QuivoError like every other rejection of a Quivo request, with axios's error as
 * its cause.
 */
function resolveOriginalAdapter(adapter: HeldRequest['adapter'], config: InternalAxiosRequestConfig, request: PolicyRequest): AxiosAdapter {
  try {
    return namedAdapter(adapter, config);
  } catch (thrown) {
    const reason = thrown instanceof Error ? thrown.message : String(thrown);
    throw new QuivoError({ code: 'INVALID_OPTIONS', message: `no usable axios adapter for this request: ${reason}`, source: 'client', method: request.method, url: request.url, attempts: 0, cause: thrown });
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
 * Content-Type. Each attempt copies them again; the request's headers object is never written.
 */
function baseAttemptHeaders(config: InternalAxiosRequestConfig, body: ReplayBody): InternalAxiosRequestConfig['headers'] {
  if (body.contentType === undefined) return config.headers;
  const headers = copyHeaders(config.headers);
  headers.set('Content-Type', body.contentType, true);
  return headers;
}
