import type { AttemptContext } from '@quivo-resilience/core';
import type { QuivoRequestInit } from './quivo-fetch-options.js';
import { QUIVO_FETCH_DEFAULTS } from './quivo-fetch-options.js';
import { oneShotBodyReason, readBodyNow, readBodyWhenSent, type ReplayBody } from './replayable-body.js';

/** The members of `RequestInit` a `Request` holds; anything else in an init is for the fetch itself. */
const REQUEST_INIT_KEYS: ReadonlySet<string> = new Set([
  'body',
  'cache',
  'credentials',
  'duplex',
  'headers',
  'integrity',
  'keepalive',
  'method',
  'mode',
  'priority',
  'redirect',
  'referrer',
  'referrerPolicy',
  'signal',
  'window',
]);

/** Everything needed to build any attempt of one call, captured once before the first. */
export interface AttemptTemplate {
  /** Method, URL, headers and options of every attempt. Its own body is never sent. */
  readonly request: Request;
  /** The body every attempt sends, read once; undefined for a one-shot stream. */
  readonly body: ReplayBody | undefined;
  /** Set when the body is a one-shot stream: the template's body is then sent, once. */
  readonly notReplayable: string | undefined;
  /** The caller's abort signal. */
  readonly signal: AbortSignal | undefined;
  /**
   * Init members that are not part of a Request (undici's `dispatcher`, a framework's cache
   * hints): handed to the underlying fetch with each attempt, as the caller handed them to us.
   */
  readonly fetchExtras: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Captures the caller's input (whose absolute URL is `url`) and init without touching them:
 * a Request input whose body is needed is cloned first, so the caller's Request stays unread.
 * Rejects with fetch's own TypeError for what fetch would refuse (a GET with a body, a used
 * Request), before anything is sent. An init body is read now; a Request input's body, which
 * may be a stream, is read during the first attempt (see `readBodyWhenSent`).
 */
export async function captureAttemptTemplate(input: RequestInfo | URL, url: string, init: QuivoRequestInit | undefined): Promise<AttemptTemplate> {
  const requestInit: Record<string, unknown> = {};
  let fetchExtras: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(init ?? {})) {
    if (key === 'quivo') continue;
    if (REQUEST_INIT_KEYS.has(key)) requestInit[key] = value;
    else (fetchExtras ??= {})[key] = value;
  }
  const inputRequest = input instanceof Request ? input : undefined;
  const usesInputBody = inputRequest !== undefined && inputRequest.body !== null && requestInit['body'] == null;
  // A string or URL input is replaced by its resolved absolute URL (relative URLs resolve
  // against the document, which a Request built outside a window would not do).
  const source = inputRequest === undefined ? url : usesInputBody ? inputRequest.clone() : inputRequest;
  // The template follows no signal: the policy watches the caller's, and each attempt gets its own.
  const request = new Request(source, { ...(requestInit as RequestInit), signal: null });
  const notReplayable = oneShotBodyReason(requestInit['body']);
  const body =
    notReplayable !== undefined
      ? undefined
      : usesInputBody
        ? readBodyWhenSent(request, QUIVO_FETCH_DEFAULTS.maxRequestBodyBytes, { method: request.method, url: request.url })
        : await readBodyNow(request);
  const signal = requestInit['signal'] !== undefined ? (requestInit['signal'] as AbortSignal | null) : inputRequest?.signal;
  return { request, body, notReplayable, signal: signal ?? undefined, fetchExtras };
}

/**
 * One attempt's request: the template's, with this attempt's credentials, signal and body.
 * `redirect` overrides the caller's mode (the wrapper follows a credentialed request's
 * redirects itself).
 */
export function buildAttemptRequest(template: AttemptTemplate, ctx: AttemptContext, body: Uint8Array<ArrayBuffer> | undefined, redirect?: RequestRedirect): Request {
  const headers = new Headers(template.request.headers);
  for (const [name, value] of Object.entries(ctx.headers)) headers.set(name, value);
  const init: RequestInit = { headers, signal: ctx.signal };
  if (redirect !== undefined) init.redirect = redirect;
  // A one-shot body is taken from the template, which lets it be taken only once.
  if (body !== undefined) init.body = body;
  return new Request(template.request, init);
}
