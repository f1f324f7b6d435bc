import type { AttemptContext } from '@quivo-resilience/core';
import type { QuivoRequestInit } from './quivo-fetch-options.js';
import { QUIVO_FETCH_DEFAULTS } from './quivo-fetch-options.js';
import { oneShotBodyReason, readBodyNow, readBodyWhenSent, type ReplayBody } from './replayable-body.js';

/**
 * The members of `RequestInit` a `Request` holds; anything else in an init is for the fetch
 * itself. Read by property access, as fetch reads a dictionary: an init's members may be
 * inherited (`Object.create(defaults)`), getters (a class) or not enumerable.
 */
const REQUEST_INIT_MEMBERS = [
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
] as const;
const REQUEST_INIT_KEYS: ReadonlySet<string> = new Set(REQUEST_INIT_MEMBERS);

/** Fetch's method normalisation: only these are upper-cased (`patch` stays `patch`). */
const NORMALIZED_METHODS: Readonly<Record<string, string>> = { delete: 'DELETE', get: 'GET', head: 'HEAD', options: 'OPTIONS', post: 'POST', put: 'PUT' };
const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);
const REDIRECT_MODES: ReadonlySet<unknown> = new Set(['follow', 'manual', 'error']);

/** A body that can be handed to fetch again for every attempt and serialises to the same bytes each time. */
export type ReplayableBodyInit = string | URLSearchParams | Uint8Array<ArrayBuffer>;

interface TemplateCommon {
  /** The method every attempt sends, normalised as fetch does. */
  readonly method: string;
  /** The absolute URL of every attempt. */
  readonly url: string;
  /** The caller's redirect mode. */
  readonly redirect: RequestRedirect;
  /** Set when the body is a one-shot stream. */
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
 * A call whose input is a string or URL and whose init holds nothing fetch must interpret for
 * us (a replayable body, no cache/mode/... members): each attempt is sent as `(url, init)`, so
 * the runtime builds the only Request of that attempt.
 */
export interface InitTemplate extends TemplateCommon {
  readonly kind: 'init';
  /** A copy of the caller's headers, each attempt sending its own copy; undefined when there were none. */
  readonly headers: Headers | undefined;
  /** A private copy of the caller's body (a string as it is), sent by every attempt. */
  readonly body: ReplayableBodyInit | undefined;
}

/** Any other call: the runtime's own `Request` captures the input and init once. */
export interface RequestTemplate extends TemplateCommon {
  readonly kind: 'request';
  /** Method, URL, headers and options of every attempt. Its own body is never sent. */
  readonly request: Request;
  /** The body every attempt sends, read once; undefined for a one-shot stream. */
  readonly body: ReplayBody | undefined;
}

/** Everything needed to build any attempt of one call, captured once before the first. */
export type AttemptTemplate = InitTemplate | RequestTemplate;

/**
 * The template of a call that needs no `Request` to capture, or undefined when the call needs
 * one: a `Request` input, a body that is not a string, buffer or URLSearchParams, an init
 * member whose meaning only the runtime knows (cache, mode, credentials...), or anything fetch
 * might refuse (a GET with a body, a bad method, header or signal). Those take
 * `captureAttemptTemplate`, which rejects with fetch's own TypeError. Nothing of the caller's
 * is kept: headers and buffers are copied now.
 */
export function captureInitTemplate(input: RequestInfo | URL, url: string, init: QuivoRequestInit | undefined): InitTemplate | undefined {
  if (typeof input !== 'string' && !(input instanceof URL)) return undefined;
  // fetch refuses a URL with credentials in it; let its own Request say so.
  if (url.includes('@')) return undefined;
  let method: unknown;
  let headersInit: unknown;
  let bodyInit: unknown;
  let signal: unknown;
  let redirect: unknown;
  let fetchExtras: Record<string, unknown> | undefined;
  if (init !== undefined && init !== null) {
    if (typeof init !== 'object') return undefined;
    const members = init as RequestInit & { priority?: unknown; duplex?: unknown };
    if (hasRuntimeOnlyMember(members)) return undefined;
    method = members.method;
    headersInit = members.headers;
    bodyInit = members.body;
    signal = members.signal;
    redirect = members.redirect;
    fetchExtras = captureFetchExtras(members as Record<string, unknown>);
  }
  const normalizedMethod = normalizeMethod(method);
  if (normalizedMethod === undefined) return undefined;
  if (redirect !== undefined && !REDIRECT_MODES.has(redirect)) return undefined;
  if (signal != null && !(signal instanceof AbortSignal)) return undefined;
  let body: ReplayableBodyInit | null | undefined;
  let headers: Headers | undefined;
  try {
    body = bodyInit == null ? undefined : copyReplayableBody(bodyInit);
    if (body === null) return undefined;
    headers = headersInit === undefined ? undefined : new Headers(headersInit as HeadersInit);
  } catch {
    return undefined;
  }
  if (body !== undefined && (normalizedMethod === 'GET' || normalizedMethod === 'HEAD')) return undefined;
  return {
    kind: 'init',
    method: normalizedMethod,
    url,
    redirect: (redirect as RequestRedirect | undefined) ?? 'follow',
    notReplayable: undefined,
    signal: (signal as AbortSignal | null | undefined) ?? undefined,
    fetchExtras,
    headers,
    body,
  };
}

/**
 * Whether the init sets a Request member only the runtime's Request knows the meaning of.
 * Named reads, not a loop over the names: this runs for nearly every call.
 */
function hasRuntimeOnlyMember(init: RequestInit & { priority?: unknown; duplex?: unknown }): boolean {
  return (
    init.cache !== undefined ||
    init.credentials !== undefined ||
    init.duplex !== undefined ||
    init.integrity !== undefined ||
    init.keepalive !== undefined ||
    init.mode !== undefined ||
    init.priority !== undefined ||
    init.referrer !== undefined ||
    init.referrerPolicy !== undefined ||
    init.window !== undefined
  );
}

/** fetch's method, or undefined when fetch could refuse it (its Request then says why). */
function normalizeMethod(method: unknown): string | undefined {
  if (method === undefined) return 'GET';
  if (typeof method !== 'string') return undefined;
  const normalized = NORMALIZED_METHODS[method.toLowerCase()];
  if (normalized !== undefined) return normalized;
  if (!METHOD_TOKEN.test(method) || FORBIDDEN_METHODS.has(method.toUpperCase())) return undefined;
  return method;
}

/**
 * A private copy of a body that serialises the same way on every send (a string is immutable;
 * a buffer or URLSearchParams the caller changes later must not change a replay), or null for
 * a body type that needs the runtime's Request (Blob, FormData, streams, objects it stringifies).
 */
function copyReplayableBody(body: unknown): ReplayableBodyInit | null {
  if (typeof body === 'string') return body;
  // URLSearchParams is not among the globals this package needs (see the README).
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return new URLSearchParams(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body) && body.buffer instanceof ArrayBuffer) {
    return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  }
  return null;
}

/**
 * Captures the caller's input (whose absolute URL is `url`) and init without touching them:
 * a Request input whose body is needed is cloned first, so the caller's Request stays unread.
 * Rejects with fetch's own TypeError for what fetch would refuse (a GET with a body, a used
 * Request), before anything is sent. An init body is read now; a Request input's body, which
 * may be a stream, is read during the first attempt (see `readBodyWhenSent`).
 */
export async function captureAttemptTemplate(input: RequestInfo | URL, url: string, init: QuivoRequestInit | undefined): Promise<RequestTemplate> {
  const requestInit: Record<string, unknown> = {};
  let fetchExtras: Record<string, unknown> | undefined;
  if (init != null) {
    const members = init as Record<string, unknown>;
    for (const key of REQUEST_INIT_MEMBERS) {
      const value = members[key];
      if (value !== undefined) requestInit[key] = value;
    }
    fetchExtras = captureFetchExtras(members);
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
  return {
    kind: 'request',
    method: request.method,
    url: request.url,
    redirect: request.redirect,
    request,
    body,
    notReplayable,
    signal: signal ?? undefined,
    fetchExtras,
  };
}

/**
 * The init members meant for the fetch itself, or undefined when there are none. undici's
 * `dispatcher` is read as undici reads it; others can only be found by enumeration (own or
 * inherited, as long as they are enumerable).
 */
function captureFetchExtras(init: Record<string, unknown>): Record<string, unknown> | undefined {
  const dispatcher = init['dispatcher'];
  let extras: Record<string, unknown> | undefined = dispatcher === undefined ? undefined : { dispatcher };
  for (const key in init) {
    if (key === 'quivo' || key === 'dispatcher' || REQUEST_INIT_KEYS.has(key)) continue;
    (extras ??= {})[key] = init[key];
  }
  return extras;
}

/**
 * A copy of `base` with this attempt's credentials set; without `base`, the credentials
 * themselves (core makes a new record for every attempt, and fetch only reads it).
 */
export function attemptHeaders(base: Headers | undefined, ctx: AttemptContext): HeadersInit {
  if (base === undefined) return ctx.headers;
  const headers = new Headers(base);
  const credentials = ctx.headers;
  for (const name in credentials) headers.set(name, credentials[name]!);
  return headers;
}

/**
 * One attempt's init for an `InitTemplate`, sent with the template's URL: the caller's members,
 * this attempt's headers and signal, and `redirect` (the wrapper follows a credentialed
 * request's redirects itself).
 */
export function buildAttemptInit(template: InitTemplate, headers: HeadersInit, signal: AbortSignal, redirect: RequestRedirect): RequestInit {
  const init: RequestInit = template.fetchExtras === undefined ? {} : { ...template.fetchExtras };
  init.method = template.method;
  init.headers = headers;
  if (template.body !== undefined) init.body = template.body;
  init.signal = signal;
  init.redirect = redirect;
  return init;
}

/**
 * One attempt's request: the template's, with this attempt's credentials, signal and body.
 * `redirect` overrides the caller's mode (the wrapper follows a credentialed request's
 * redirects itself).
 */
export function buildAttemptRequest(template: RequestTemplate, ctx: AttemptContext, body: Uint8Array<ArrayBuffer> | undefined, redirect?: RequestRedirect): Request {
  const init: RequestInit = { headers: attemptHeaders(template.request.headers, ctx), signal: ctx.signal };
  if (redirect !== undefined) init.redirect = redirect;
  // A one-shot body is taken from the template, which lets it be taken only once.
  if (body !== undefined) init.body = body;
  return new Request(template.request, init);
}
