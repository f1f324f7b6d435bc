import { isRedirectStatus, redirectStep, type RedirectHop, type RedirectRefusal } from '@quivo-resilience/core';
import type { ReplayableBodyInit } from './attempt-request.js';
import { discardBody } from './response-error.js';

/** fetch's "request-body-header names": they describe a body, and go with it when a redirect drops it. */
const BODY_HEADERS = ['content-encoding', 'content-language', 'content-location', 'content-type'] as const;

/** One attempt whose redirects the wrapper follows itself: it carries credentials, or its method is not idempotent. */
export interface RedirectChain {
  /** Sends one request of the chain (each is built with `redirect: 'manual'`). */
  send(request: Request): Promise<Response>;
  /** The names of the Quivo credentials the first request carries. */
  readonly credentialNames: readonly string[];
  /** Whether `url` may receive them: the policy's `appliesTo`. */
  readonly mayCarryCredentials: (url: string) => boolean;
  /** The body (bytes, or a private string or URLSearchParams), for a 307 or 308 that keeps it. */
  readonly body: ReplayableBodyInit | undefined;
  /** Set when the body was a one-shot stream, which a 307 or 308 cannot send again. */
  readonly notReplayable: string | undefined;
  readonly signal: AbortSignal;
  readonly maxRedirects: number;
  /** The policy's attempt, told when a hop turns the request into a GET: it has run. */
  readonly attempt: { markRedirected?(): void };
}

/**
 * Whether `response`, the answer to a request sent with `redirect: 'manual'`, is one that
 * `followRedirects` must handle; for any other answer it would return `response` as it is.
 */
export function isRedirectAnswer(response: Response): boolean {
  return response.type === 'opaqueredirect' || (isRedirectStatus(response.status) && response.headers.has('location'));
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
    const { status } = answer;
    const location = answer.headers.get('location');
    if (!isRedirectStatus(status) || location === null) {
      if (hops > 0) markRedirected(answer);
      return answer;
    }
    discardBody(answer);
    const step = redirectStep({
      status,
      method: current.method,
      location,
      currentUrl: current.url,
      carrying,
      mayCarryCredentials: chain.mayCarryCredentials,
      hops,
      maxRedirects: chain.maxRedirects,
      hasBody: current.body !== null,
      notReplayable: chain.notReplayable,
    });
    if (step.kind !== 'follow') throw refusalError(step);
    carrying = step.carrying;
    const next = redirectedRequest(current, step, chain);
    // A hop that turns the request into a GET (303, or 301/302 after a POST): it has run here.
    if (step.dropsBody) chain.attempt.markRedirected?.();
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

/** A refusal as a TypeError, the type fetch rejects with when it will not follow a redirect. */
function refusalError(refusal: RedirectRefusal): TypeError {
  switch (refusal.kind) {
    case 'too-many':
      return new TypeError(`redirect count exceeded: more than ${refusal.maxRedirects} redirects`);
    case 'bad-location':
      return new TypeError(refusal.protocol === undefined ? `invalid redirect location: ${refusal.location}` : `redirect to a ${refusal.protocol} URL refused`);
    case 'not-replayable':
      return new TypeError(`cannot follow a ${refusal.status} redirect: ${refusal.reason} and was sent once`);
  }
}

function redirectedRequest(current: Request, hop: RedirectHop, chain: RedirectChain): Request {
  const headers = new Headers(current.headers);
  if (hop.dropsBody) for (const name of BODY_HEADERS) headers.delete(name);
  if (hop.dropsAuthorization) headers.delete('authorization');
  if (!hop.carrying) for (const name of chain.credentialNames) headers.delete(name);
  const init: RequestInit = {
    method: hop.method,
    headers,
    signal: chain.signal,
    redirect: 'manual',
    cache: current.cache,
    credentials: current.credentials,
    integrity: current.integrity,
    keepalive: current.keepalive,
    referrerPolicy: current.referrerPolicy,
  };
  // A body that cannot be sent again never gets here: redirectStep refused the hop.
  if (!hop.dropsBody && current.body !== null) init.body = chain.body ?? null;
  return new Request(hop.target, init);
}
