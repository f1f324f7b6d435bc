import type { ReplayableBodyInit } from './attempt-request.js';
import { discardBody } from './response-error.js';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** fetch's "request-body-header names": they describe a body, and go with it when a redirect drops it. */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'] as const;

/** One credentialed attempt whose redirects the wrapper follows itself. */
export interface RedirectChain {
  /** Sends one request of the chain (each is built with `redirect: 'manual'`). */
  send(request: Request): Promise<Response>;
  /** The names of the Quivo credentials the first request carries. */
  readonly credentialNames: readonly string[];
  /** Whether `url` may receive them: the policy's `appliesTo`. */
  mayCarryCredentials(url: string): boolean;
  /** The body (bytes, or a private string or URLSearchParams), for a 307 or 308 that keeps it. */
  readonly body: ReplayableBodyInit | undefined;
  /** Set when the body was a one-shot stream, which a 307 or 308 cannot send again. */
  readonly notReplayable: string | undefined;
  readonly signal: AbortSignal;
  readonly maxRedirects: number;
}

/**
 * Whether `response`, the answer to a request sent with `redirect: 'manual'`, is one that
 * `followRedirects` must handle; for any other answer it would return `response` as it is.
 */
export function isRedirectAnswer(response: Response): boolean {
  return response.type === 'opaqueredirect' || (REDIRECT_STATUSES.has(response.status) && response.headers.has('location'));
}

/**
 * Follows the redirects of `response`, the answer to `first` sent with `redirect: 'manual'`,
 * as fetch's `redirect: 'follow'` would (20 hops, 301/302 turn a POST into a GET, 303 turns any
 * method but HEAD into a GET and drops the body, 307/308 keep both, `Authorization` is dropped
 * when the origin changes) with one difference: every Quivo credential (`X-Api-Key` as well,
 * which fetch keeps) goes only to URLs under the policy's base, and once the chain has left it
 * they are not sent again.
 *
 * A browser answers a manual redirect with an opaque response that hides where it points:
 * that rejects, so credentials never follow a redirect the wrapper cannot see.
 */
export async function followRedirects(first: Request, response: Response, chain: RedirectChain): Promise<Response> {
  let current = first;
  let answer = response;
  let carrying = true;
  for (let hops = 0; ; hops += 1) {
    if (answer.type === 'opaqueredirect') {
      throw new TypeError(
        'the Quivo origin answered with a redirect that this runtime does not let the wrapper inspect (an opaque redirect); it was not followed, so the request credentials cannot reach another origin',
      );
    }
    const location = REDIRECT_STATUSES.has(answer.status) ? answer.headers.get('location') : null;
    if (location === null) {
      if (hops > 0) markRedirected(answer);
      return answer;
    }
    discardBody(answer);
    if (hops >= chain.maxRedirects) throw new TypeError(`redirect count exceeded: more than ${chain.maxRedirects} redirects`);
    const target = redirectTarget(location, current.url);
    carrying &&= chain.mayCarryCredentials(target.href);
    const next = redirectedRequest(current, answer.status, target, carrying, chain);
    answer = await chain.send(next);
    current = next;
  }
}

/** As fetch marks a followed response; a Response that will not take it (a frozen polyfill) stays as it is. */
function markRedirected(response: Response): void {
  try {
    Object.defineProperty(response, 'redirected', { value: true });
  } catch {
    // Only a flag: the response itself is right.
  }
}

function redirectTarget(location: string, base: string): URL {
  let target: URL;
  try {
    target = new URL(location, base);
  } catch {
    throw new TypeError(`invalid redirect location: ${location}`);
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`redirect to a ${target.protocol} URL refused`);
  return target;
}

function redirectedRequest(current: Request, status: number, target: URL, carrying: boolean, chain: RedirectChain): Request {
  const method = current.method;
  const toGet = (status === 303 && method !== 'GET' && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
  const headers = new Headers(current.headers);
  if (toGet) for (const name of BODY_HEADERS) headers.delete(name);
  if (new URL(current.url).origin !== target.origin) headers.delete('authorization');
  if (!carrying) for (const name of chain.credentialNames) headers.delete(name);
  const init: RequestInit = {
    method: toGet ? 'GET' : method,
    headers,
    signal: chain.signal,
    redirect: 'manual',
    cache: current.cache,
    credentials: current.credentials,
    integrity: current.integrity,
    keepalive: current.keepalive,
    referrerPolicy: current.referrerPolicy,
  };
  if (!toGet && current.body !== null) {
    if (chain.notReplayable !== undefined) throw new TypeError(`cannot follow a ${status} redirect: ${chain.notReplayable} and was sent once`);
    init.body = chain.body ?? null;
  }
  return new Request(target, init);
}
