import { isRedirectStatus, redirectStep, type AttemptContext, type RedirectHop, type RedirectRefusal } from '@quivo-resilience/core';
import { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { AdapterKind } from './adapter-kind.js';
import { discardBody } from './attempt-response.js';
import { copyHeaders } from './copy-headers.js';

/** fetch's "request-body-header names", and the length: they describe a body and go with it. */
const BODY_HEADERS = ['Content-Type', 'Content-Length', 'Content-Encoding', 'Content-Language', 'Content-Location'] as const;

/** Redirects followed when the caller set no lower `maxRedirects`: fetch's own limit. */
export const MAX_FETCH_REDIRECTS = 20;

/** One attempt through axios's `fetch` adapter, sent with `redirect: 'manual'`. */
export interface RedirectChain {
  readonly adapter: AxiosAdapter;
  /** Told of every hop: the request was answered with a redirect, so it has run. */
  readonly attempt: Pick<AttemptContext, 'markRedirected'>;
  /** The absolute URL of the first request. */
  readonly url: string;
  readonly credentialNames: readonly string[];
  /** Whether `url` may receive the credentials: the policy's `appliesTo`. */
  readonly mayCarryCredentials: (url: string) => boolean;
  /** Set when the body is a one-shot stream, which a 307 or 308 cannot send again. */
  readonly notReplayable: string | undefined;
  readonly maxRedirects: number;
  /** For the errors: the caller's config, never the attempt's. */
  readonly callerConfig: InternalAxiosRequestConfig;
}

/**
 * Whether the wrapper may follow this attempt's redirects itself (it does when the attempt
 * carries credentials or its method is not idempotent): axios's `fetch` adapter gives no
 * redirect hook, fetch drops only `Authorization` when a redirect changes the origin, so
 * `X-Api-Key` would follow it, and a hop fetch follows unseen would leave a POST that has run
 * open to a replay. A caller that asked for no redirects (`maxRedirects: 0`,
 * `fetchOptions.redirect`) keeps its choice.
 */
export function followsRedirectsItself(kind: AdapterKind, config: InternalAxiosRequestConfig): boolean {
  if (kind !== 'fetch' || config.maxRedirects === 0) return false;
  const redirect = (config.fetchOptions as { redirect?: unknown } | undefined)?.redirect;
  return redirect === undefined || redirect === 'follow';
}

/** The attempt config that makes the fetch adapter hand a redirect back instead of following it. */
export function withManualRedirects(attempt: InternalAxiosRequestConfig): InternalAxiosRequestConfig {
  // `maxRedirects: 0` is how current axios asks its fetch adapter; older 1.x read `fetchOptions`.
  return { ...attempt, maxRedirects: 0, fetchOptions: { ...(attempt.fetchOptions as object | undefined), redirect: 'manual' } };
}

/**
 * Follows the redirects of `response`, as fetch's `redirect: 'follow'` would (301/302 turn a
 * POST into a GET, 303 any method but HEAD, dropping the body; 307/308 keep both;
 * `Authorization` goes when the origin changes) but with every Quivo credential sent only
 * under the policy's base, and not again once the chain has left it. A browser answers a
 * manual redirect with an opaque response (status 0) that hides where it points: that rejects.
 */
export async function followRedirects(first: InternalAxiosRequestConfig, response: AxiosResponse, chain: RedirectChain): Promise<AxiosResponse> {
  let current = first;
  let currentUrl = chain.url;
  let answer = response;
  let carrying = true;
  for (let hops = 0; ; hops += 1) {
    if (answer.status === 0) {
      throw new AxiosError(
        'the Quivo origin answered with a redirect that this runtime does not let attachQuivo inspect (an opaque redirect); it was not followed, so the request credentials cannot reach another origin',
        AxiosError.ERR_NOT_SUPPORT,
        chain.callerConfig,
      );
    }
    const { status } = answer;
    const location = headerValue(answer.headers, 'location');
    if (!isRedirectStatus(status) || location === undefined) return answer;
    discardBody(answer.data);
    const step = redirectStep({
      status,
      method: (current.method ?? 'get').toLowerCase(),
      location,
      currentUrl,
      carrying,
      mayCarryCredentials: chain.mayCarryCredentials,
      hops,
      maxRedirects: chain.maxRedirects,
      hasBody: current.data != null,
      notReplayable: chain.notReplayable,
    });
    if (step.kind !== 'follow') throw refusalError(step, chain.callerConfig);
    carrying = step.carrying;
    // A hop that turns the request into a GET (303, or 301/302 after a POST): it has run here.
    if (step.dropsBody) chain.attempt.markRedirected?.();
    current = redirectedConfig(current, step, chain);
    currentUrl = step.target.href;
    answer = await chain.adapter(current);
  }
}

/** A refusal as an AxiosError: too many hops carries the code axios's http adapter uses, so callers test one code for both adapters. */
function refusalError(refusal: RedirectRefusal, callerConfig: InternalAxiosRequestConfig): AxiosError {
  switch (refusal.kind) {
    case 'too-many':
      return new AxiosError('Maximum number of redirects exceeded', AxiosError.ERR_FR_TOO_MANY_REDIRECTS, callerConfig);
    case 'bad-location':
      return new AxiosError(`redirect to ${refusal.location} refused: not an http(s) URL`, AxiosError.ERR_INVALID_URL, callerConfig);
    case 'not-replayable':
      return new AxiosError(`cannot follow a ${refusal.status} redirect: ${refusal.reason} and was sent once`, AxiosError.ERR_BAD_REQUEST, callerConfig);
  }
}

function redirectedConfig(current: InternalAxiosRequestConfig, hop: RedirectHop, chain: RedirectChain): InternalAxiosRequestConfig {
  const headers = copyHeaders(current.headers);
  if (hop.dropsBody) for (const name of BODY_HEADERS) headers.delete(name);
  if (hop.dropsAuthorization) headers.delete('Authorization');
  if (!hop.carrying) for (const name of chain.credentialNames) headers.delete(name);
  const next: InternalAxiosRequestConfig = { ...current, url: hop.target.href, method: hop.method, headers, data: hop.dropsBody ? undefined : current.data };
  // The Location is the whole URL: no base to prepend, no params to append again.
  delete next.baseURL;
  delete next.params;
  return next;
}

function headerValue(headers: AxiosResponse['headers'], name: string): string | undefined {
  const value: unknown = typeof headers.get === 'function' ? headers.get(name) : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
