import { MANUAL_REDIRECTS_VISIBLE, QuivoError, createQuivoPolicy, isIdempotentMethod, markFetchWrapper, type AttemptContext, type AttemptResponse, type PolicyRequest, type QuivoPolicy, type QuivoPolicyOptions } from '@quivo-resilience/core';
import {
  attemptHeaders,
  buildAttemptInit,
  buildAttemptRequest,
  captureAttemptTemplate,
  captureInitTemplate,
  type AttemptTemplate,
  type InitTemplate,
  type RequestTemplate,
} from './attempt-request.js';
import { toAttemptResponse } from './attempt-response.js';
import { followRedirects, isRedirectAnswer } from './guarded-redirects.js';
import { QUIVO_FETCH_DEFAULTS, type QuivoFetchOptions, type QuivoFetchRequestOptions, type QuivoRequestInit } from './quivo-fetch-options.js';
import { resolveRequestURL } from './request-target.js';
import { quivoErrorFromResponse, rememberClassification } from './response-error.js';
import { underlyingFetchSource } from './underlying-fetch.js';

/**
 * A `fetch` with the policy's refresh, retries, rate limit and errors, for requests to the
 * policy's `baseURL`; other URLs go to the underlying fetch untouched. Pass a policy to share
 * its token and limiter with other clients, or options to get a policy of its own.
 */
export function createQuivoFetch(policy: QuivoPolicy | QuivoPolicyOptions, options: QuivoFetchOptions = {}): typeof fetch {
  const { fetch: customFetch, throwHttpErrors = QUIVO_FETCH_DEFAULTS.throwHttpErrors } = checkOptions(options);
  // Read at call time, not now: interceptors that patch globalThis.fetch later still apply.
  // Called unbound, since a browser's fetch throws "Illegal invocation" with a foreign `this`.
  const underlyingFetch = underlyingFetchSource(customFetch);
  const quivoPolicy = toPolicy(policy, customFetch);

  async function quivoFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = resolveRequestURL(input);
    if (url === undefined || !quivoPolicy.appliesTo(url)) return underlyingFetch()(input, init);
    const overrides = (init as QuivoRequestInit | undefined)?.quivo ?? {};
    // The policy checks its own overrides; this one only the wrapper reads.
    if (overrides.throwHttpErrors !== undefined && typeof overrides.throwHttpErrors !== 'boolean') {
      throw new QuivoError({ code: 'INVALID_OPTIONS', message: 'Invalid Quivo request options: throwHttpErrors must be a boolean' });
    }
    // Most calls (a string or URL, a string or buffer body) need no Request to capture them.
    const template: AttemptTemplate = captureInitTemplate(input, url, init) ?? (await captureAttemptTemplate(input, url, init));
    const policyRequest = toPolicyRequest(template, overrides);
    const result =
      template.kind === 'init'
        ? await quivoPolicy.execute(policyRequest, initAttemptSender(template, underlyingFetch, quivoPolicy))
        : // A Request body still being read when the call ends (aborted, timed out) is cancelled.
          await quivoPolicy.execute(policyRequest, requestAttemptSender(template, underlyingFetch, quivoPolicy)).finally(() => template.body?.release());
    const response = result.value;
    if (response.ok) return response;
    if (overrides.throwHttpErrors ?? throwHttpErrors) {
      const error = result.error ?? (await quivoErrorFromResponse(response, { method: template.method, url: template.url }));
      // The Response is the client's own answer: its body stays unread, for `err.cause.json()`.
      throw error.withCause(response);
    }
    if (result.error) rememberClassification(response, result.error);
    return response;
  }

  markFetchWrapper(quivoFetch, underlyingFetch);
  return quivoFetch;
}

function toPolicyRequest(template: AttemptTemplate, overrides: QuivoFetchRequestOptions): PolicyRequest {
  return {
    method: template.method,
    url: template.url,
    signal: template.signal,
    timeoutMs: overrides.timeoutMs,
    notReplayable: template.notReplayable,
    retry: overrides.retry,
    retryUnsafe: overrides.retryUnsafe,
    auth: overrides.auth,
  };
}

/**
 * The policy's attempt function for an `InitTemplate`: the underlying fetch gets the URL and a
 * fresh init per attempt, and builds the attempt's only Request itself. An attempt that
 * would follow redirects is sent with `redirect: 'manual'` when it carries credentials or its
 * method is not idempotent (`followsRedirectsItself`), and the wrapper follows them itself.
 */
function initAttemptSender(template: InitTemplate, underlyingFetch: () => typeof fetch, policy: QuivoPolicy) {
  const send = (request: Request): Promise<Response> => (template.fetchExtras ? underlyingFetch()(request, template.fetchExtras) : underlyingFetch()(request));
  return async (ctx: AttemptContext): Promise<AttemptResponse<Response>> => {
    const headers = attemptHeaders(template.headers, ctx);
    const guarded = template.redirect === 'follow' && followsRedirectsItself(template.method, ctx);
    const init = buildAttemptInit(template, headers, ctx.signal, guarded ? 'manual' : template.redirect);
    const response = await underlyingFetch()(template.url, init);
    if (!guarded || !isRedirectAnswer(response)) return toAttemptResponse(response);
    // The request just sent, as a Request the redirect rules can read (headers, body, mode).
    const first = new Request(template.url, init);
    const final = await followRedirects(first, response, {
      send,
      credentialNames: Object.keys(ctx.headers),
      mayCarryCredentials: (url) => policy.appliesTo(url),
      body: template.body,
      notReplayable: undefined,
      signal: ctx.signal,
      maxRedirects: QUIVO_FETCH_DEFAULTS.maxRedirects,
      attempt: ctx,
    });
    return toAttemptResponse(final);
  };
}

/**
 * The policy's attempt function for a `RequestTemplate`: a fresh Request per attempt, sent
 * through the underlying fetch, with redirects guarded as in `initAttemptSender`.
 */
function requestAttemptSender(template: RequestTemplate, underlyingFetch: () => typeof fetch, policy: QuivoPolicy) {
  let sent = false;
  const send = (request: Request): Promise<Response> => (template.fetchExtras ? underlyingFetch()(request, template.fetchExtras) : underlyingFetch()(request));
  return async (ctx: AttemptContext): Promise<AttemptResponse<Response>> => {
    if (sent && template.notReplayable !== undefined) {
      throw new TypeError(`${template.notReplayable}: it was sent once and cannot be sent again`);
    }
    const body = await readRequestBody(template, ctx);
    sent = true;
    const guarded = template.redirect === 'follow' && followsRedirectsItself(template.method, ctx);
    const request = buildAttemptRequest(template, ctx, body, guarded ? 'manual' : undefined);
    const response = await send(request);
    if (!guarded) return toAttemptResponse(response);
    const final = await followRedirects(request, response, {
      send,
      credentialNames: Object.keys(ctx.headers),
      mayCarryCredentials: (url) => policy.appliesTo(url),
      body,
      notReplayable: template.notReplayable,
      signal: ctx.signal,
      maxRedirects: QUIVO_FETCH_DEFAULTS.maxRedirects,
      attempt: ctx,
    });
    return toAttemptResponse(final);
  };
}

/**
 * The Request's body, read before anything is sent. A per-attempt timeout that ends the read
 * has sent nothing, so it is a TIMEOUT the policy may retry for any method (the retry waits for
 * the same read), not one whose outcome is unknown; the caller's abort stays the caller's.
 */
async function readRequestBody(template: RequestTemplate, ctx: AttemptContext): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    return await template.body?.bytes(ctx.signal);
  } catch (thrown) {
    if (!ctx.signal.aborted || ctx.callerSignal?.aborted) throw thrown;
    throw new QuivoError({
      code: 'TIMEOUT',
      message: `the request body was not read within ${ctx.timeoutMs} ms; nothing was sent`,
      source: 'client',
      method: template.method,
      url: template.url,
      outcome: 'not-executed',
      transient: true,
      cause: thrown,
    });
  }
}

/**
 * Whether the wrapper follows this attempt's redirects itself. With credentials, so they go
 * nowhere but under the policy's base (fetch drops only `Authorization` when the origin
 * changes). For a method that is not idempotent, so the policy learns that a redirect answered
 * it: a POST answered 303 has run, and a failure of the GET after it must not send it again.
 */
function followsRedirectsItself(method: string, ctx: AttemptContext): boolean {
  // Not in a browser for the latter: it hides a manual redirect, so the wrapper could only refuse it.
  return hasCredentials(ctx) || (MANUAL_REDIRECTS_VISIBLE && !isIdempotentMethod(method));
}

function hasCredentials(ctx: AttemptContext): boolean {
  for (const name in ctx.headers) if (Object.prototype.hasOwnProperty.call(ctx.headers, name)) return true;
  return false;
}

function toPolicy(policy: QuivoPolicy | QuivoPolicyOptions, customFetch: typeof fetch | undefined): QuivoPolicy {
  if (isPolicy(policy)) return policy;
  // The built-in login goes through the same underlying fetch (a proxy or test interceptor);
  // core's login itself steps past a wrapper of ours, global or given, so a login is never
  // retried, refreshed or sent to itself. Options inherited or behind getters stay visible: a
  // child of the caller's object, not a copy. Anything that is not an object is left to
  // createQuivoPolicy, which says what is wrong.
  if (customFetch !== undefined && typeof policy === 'object' && policy !== null && policy.fetch === undefined) {
    return createQuivoPolicy(Object.create(policy, { fetch: { value: customFetch } }) as QuivoPolicyOptions);
  }
  return createQuivoPolicy(policy);
}

/** Structural, as the interface is: any object with the policy's methods serves. */
function isPolicy(value: QuivoPolicy | QuivoPolicyOptions): value is QuivoPolicy {
  const candidate = value as Partial<QuivoPolicy> | null | undefined;
  if (typeof candidate !== 'object' || candidate === null) return false;
  return typeof candidate.execute === 'function' && typeof candidate.appliesTo === 'function';
}

function checkOptions(options: QuivoFetchOptions): QuivoFetchOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('createQuivoFetch: options must be an object');
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw new TypeError('createQuivoFetch: options.fetch must be a function');
  if (options.throwHttpErrors !== undefined && typeof options.throwHttpErrors !== 'boolean') {
    throw new TypeError('createQuivoFetch: options.throwHttpErrors must be a boolean');
  }
  return options;
}
