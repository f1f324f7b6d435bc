import { AxiosError, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import { discardBody } from './attempt-response.js';
import { copyHeaders } from './copy-headers.js';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** fetch's "request-body-header names", and the length: they describe a body and go with it. */
const BODY_HEADERS = ['Content-Type', 'Content-Length', 'Content-Encoding', 'Content-Language', 'Content-Location'] as const;

/** Redirects followed when the caller set no lower `maxRedirects`: fetch's own limit. */
export const MAX_FETCH_REDIRECTS = 20;

/** One credentialed attempt through axios's `fetch` adapter, sent with `redirect: 'manual'`. */
export interface RedirectChain {
  readonly adapter: AxiosAdapter;
  /** The absolute URL of the first request. */
  readonly url: string;
  readonly credentialNames: readonly string[];
  /** Whether `url` may receive the credentials: the policy's `appliesTo`. */
  mayCarryCredentials(url: string): boolean;
  /** Set when the body is a one-shot stream, which a 307 or 308 cannot send again. */
  readonly notReplayable: string | undefined;
  readonly maxRedirects: number;
  /** For the errors: the caller's config, never the attempt's. */
  readonly callerConfig: InternalAxiosRequestConfig;
}

/**
 * Whether the wrapper follows this attempt's redirects itself: axios's `fetch` adapter gives no
 * redirect hook, and fetch drops only `Authorization` when a redirect changes the origin, so
 * `X-Api-Key` would follow it. A caller that asked for no redirects (`maxRedirects: 0`,
 * `fetchOptions.redirect`) keeps its choice.
 */
export function followsRedirectsItself(adapter: AxiosAdapter, fetchAdapter: AxiosAdapter | undefined, config: InternalAxiosRequestConfig): boolean {
  if (fetchAdapter === undefined || adapter !== fetchAdapter || config.maxRedirects === 0) return false;
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
    const location = REDIRECT_STATUSES.has(answer.status) ? headerValue(answer.headers, 'location') : undefined;
    if (location === undefined) return answer;
    discardBody(answer.data);
    if (hops >= chain.maxRedirects) throw new AxiosError('Maximum number of redirects exceeded', AxiosError.ERR_FR_TOO_MANY_REDIRECTS, chain.callerConfig);
    const target = redirectTarget(location, currentUrl, chain.callerConfig);
    carrying &&= chain.mayCarryCredentials(target.href);
    current = redirectedConfig(current, currentUrl, answer.status, target, carrying, chain);
    currentUrl = target.href;
    answer = await chain.adapter(current);
  }
}

function redirectTarget(location: string, base: string, callerConfig: InternalAxiosRequestConfig): URL {
  let target: URL | undefined;
  try {
    target = new URL(location, base);
  } catch {
    target = undefined;
  }
  if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    throw new AxiosError(`redirect to ${location} refused: not an http(s) URL`, AxiosError.ERR_INVALID_URL, callerConfig);
  }
  return target;
}

function redirectedConfig(current: InternalAxiosRequestConfig, currentUrl: string, status: number, target: URL, carrying: boolean, chain: RedirectChain): InternalAxiosRequestConfig {
  const method = (current.method ?? 'get').toLowerCase();
  const toGet = (status === 303 && method !== 'get' && method !== 'head') || ((status === 301 || status === 302) && method === 'post');
  const headers = copyHeaders(current.headers);
  if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
  if (new URL(currentUrl).origin !== target.origin) headers.delete('Authorization');
  if (!carrying) for (const name of chain.credentialNames) headers.delete(name);
  if (!toGet && current.data != null && chain.notReplayable !== undefined) {
    throw new AxiosError(`cannot follow a ${status} redirect: ${chain.notReplayable} and was sent once`, AxiosError.ERR_BAD_REQUEST, chain.callerConfig);
  }
  const next: InternalAxiosRequestConfig = { ...current, url: target.href, method: toGet ? 'get' : method, headers, data: toGet ? undefined : current.data };
  // The Location is the whole URL: no base to prepend, no params to append again.
  delete next.baseURL;
  delete next.params;
  return next;
}

function headerValue(headers: AxiosResponse['headers'], name: string): string | undefined {
  const value: unknown = typeof headers.get === 'function' ? headers.get(name) : (headers as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
