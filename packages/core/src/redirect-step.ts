/** The statuses whose `Location` fetch follows (its "redirect status"): 300 and 304 are not among them. */
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set<RedirectStatus>([301, 302, 303, 307, 308]);

/** Whether an answer with `status` and a `Location` is a redirect to follow. */
export function isRedirectStatus(status: number): status is RedirectStatus {
  return REDIRECT_STATUSES.has(status);
}

/**
 * One redirect of a chain that an adapter follows itself, so that it can keep the Quivo
 * credentials under the policy's base: the facts of the answer and of the request that got it.
 */
export interface RedirectStepInput {
  readonly status: RedirectStatus;
  /** The request's method in either case (fetch upper-cases it, axios lower-cases it); the hop's comes back in the same case. */
  readonly method: string;
  /** The `Location` header as sent: a relative one resolves against `currentUrl`. */
  readonly location: string;
  /** The absolute URL of the request that got this answer. */
  readonly currentUrl: string | URL;
  /** Whether the request that got this answer carried the credentials. */
  readonly carrying: boolean;
  /** Whether `url` may receive the credentials: the policy's `appliesTo`. Not asked once `carrying` is false. */
  readonly mayCarryCredentials: (url: string) => boolean;
  /** Redirects already followed in this chain. */
  readonly hops: number;
  readonly maxRedirects: number;
  /** Whether the request that got this answer had a body. */
  readonly hasBody: boolean;
  /** Why the body cannot be sent again (a one-shot stream, already sent), or undefined when it can. */
  readonly notReplayable: string | undefined;
}

/** The next request of the chain, as fetch's `redirect: 'follow'` would build it, with the credentials rule on top. */
export interface RedirectHop {
  readonly kind: 'follow';
  readonly target: URL;
  /** The given method, or GET (in the given method's case) when the redirect turns it into one. */
  readonly method: string;
  /**
   * The hop is a GET without the body (exactly when `method` differs from the given one): the
   * adapter drops the body and the headers that describe it, and the request that got this
   * answer has run on the server.
   */
  readonly dropsBody: boolean;
  /** The origin changes, so `Authorization` is not sent on (fetch's own rule). */
  readonly dropsAuthorization: boolean;
  /** Whether the hop may carry the credentials: false once the chain has left the policy's base, and from then on. */
  readonly carrying: boolean;
}

/**
 * A redirect the adapter must not follow; each kind holds what its error message names. A
 * `bad-location` has no `protocol` when the `Location` does not parse as a URL at all.
 */
export type RedirectRefusal =
  | { readonly kind: 'too-many'; readonly maxRedirects: number }
  | { readonly kind: 'bad-location'; readonly location: string; readonly protocol: string | undefined }
  | { readonly kind: 'not-replayable'; readonly status: RedirectStatus; readonly reason: string };

export type RedirectStep = RedirectHop | RedirectRefusal;

/**
 * Decides one redirect the way fetch's `redirect: 'follow'` does (a limit on hops; 303 turns any
 * method but GET and HEAD into a GET, 301 and 302 turn a POST into one, dropping the body; 307
 * and 308 keep both; `Authorization` goes when the origin changes; only http(s) targets), plus
 * the one rule fetch lacks: the credentials stop at the first target outside the policy's base.
 * Both adapters take it from here, so the fetch wrapper and axios cannot drift apart; each turns
 * a refusal into its own error type.
 */
export function redirectStep(input: RedirectStepInput): RedirectStep {
  const { status, method, location } = input;
  if (input.hops >= input.maxRedirects) return { kind: 'too-many', maxRedirects: input.maxRedirects };
  const target = parseTarget(location, input.currentUrl);
  if (target === undefined || (target.protocol !== 'http:' && target.protocol !== 'https:')) {
    return { kind: 'bad-location', location, protocol: target?.protocol };
  }
  const upper = method.toUpperCase();
  const dropsBody = (status === 303 && upper !== 'GET' && upper !== 'HEAD') || ((status === 301 || status === 302) && upper === 'POST');
  if (!dropsBody && input.hasBody && input.notReplayable !== undefined) return { kind: 'not-replayable', status, reason: input.notReplayable };
  return {
    kind: 'follow',
    target,
    method: dropsBody ? (method === method.toLowerCase() ? 'get' : 'GET') : method,
    dropsBody,
    dropsAuthorization: new URL(input.currentUrl).origin !== target.origin,
    carrying: input.carrying && input.mayCarryCredentials(target.href),
  };
}

function parseTarget(location: string, base: string | URL): URL | undefined {
  try {
    return new URL(location, base);
  } catch {
    return undefined;
  }
}

/**
 * Whether this runtime shows an answer to `redirect: 'manual'` as it is (Node, Deno, Bun). A
 * browser hides it behind an opaque response, so an adapter there can follow redirects itself
 * only by refusing them; it does so only where credentials are at stake.
 */
export const MANUAL_REDIRECTS_VISIBLE: boolean = typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';
