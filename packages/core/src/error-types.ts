/** Every failure a Quivo client can meet, one stable code each (see DESIGN.md, "Error codes"). */
export type QuivoErrorCode =
  | 'BAD_REQUEST'
  | 'TOKEN_EXPIRED'
  | 'UNAUTHORIZED'
  | 'INVALID_API_KEY'
  | 'ACCESS_DENIED'
  | 'ROUTE_NOT_FOUND'
  | 'EXPIRED_SIGNATURE'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'REQUEST_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'THROTTLED'
  | 'QUOTA_EXCEEDED'
  | 'INTERNAL'
  | 'NOT_IMPLEMENTED'
  | 'BAD_GATEWAY'
  | 'SERVICE_UNAVAILABLE'
  | 'INTEGRATION_TIMEOUT'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'AUTH_FAILED'
  | 'NOT_REPLAYABLE'
  | 'INVALID_OPTIONS'
  | 'LIMITER_FAILED'
  | 'HTTP_ERROR';

/** Who produced the failure: API Gateway, the Quivo backend, the network, or this client. */
export type QuivoErrorSource = 'gateway' | 'backend' | 'network' | 'client';

/**
 * What is known about the request's effect on the server:
 * - `not-executed`: it certainly did not run (gateway throttle, refused connection, DNS failure);
 * - `failed`: the server answered that it did not do it (a 4xx);
 * - `unknown`: it may or may not have run (504, 5xx, a reset after sending, a timeout).
 */
export type QuivoOutcome = 'not-executed' | 'failed' | 'unknown';

/** Anything header-shaped that a client hands us. */
export type HeadersLike =
  | Headers
  | Record<string, string | number | boolean | readonly string[] | null | undefined>
  | Iterable<readonly [string, string]>
  | { get(name: string): unknown; [key: string]: unknown };

/** What happened on one attempt and what the policy did about it. */
export interface AttemptRecord {
  /** 1-based attempt number. */
  readonly attempt: number;
  /** `'OK'` when the attempt succeeded. */
  readonly code: QuivoErrorCode | 'OK';
  readonly status?: number;
  readonly action: 'success' | 'retry' | 'refresh' | 'give-up';
  /** Wait before the next attempt, when there is one. */
  readonly delayMs?: number;
  /** Why, in words, e.g. `no retry: outcome unknown for POST`. */
  readonly reason: string;
}

/** Input of `toQuivoError`: whatever is known about a failed exchange. */
export interface QuivoErrorInput {
  status?: number | undefined;
  statusText?: string | undefined;
  headers?: HeadersLike | undefined;
  body?: unknown;
  method?: string | undefined;
  url?: string | URL | undefined;
  cause?: unknown;
}

// Declaration merging: the errors module adds one optional field to the input above.
export interface QuivoErrorInput {
  /**
   * Secret values the caller knows (API key, session token, password), scrubbed from every
   * text of the error besides those found in the input itself. Not kept on the error.
   */
  secrets?: readonly string[] | undefined;
}
