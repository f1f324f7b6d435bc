import type { AttemptRecord, HeadersLike } from './error-types.js';
import type { BottleneckLike } from './limiter/bottleneck-limiter.js';
import type { QuivoError } from './quivo-error.js';

/** What a custom `login` resolves to. */
export type LoginResult = string | { token: string; expiresAt?: number | Date | undefined };

/** Retry settings of a policy. `retry: 3` is shorthand for `{ retries: 3 }`, `retry: false` for `{ retries: 0 }`. */
export interface QuivoRetryOptions {
  /** Retries after the first attempt. @default 3 */
  retries?: number;
  /** Base of the exponential backoff. @default 100 */
  baseDelayMs?: number;
  /** Base of the backoff after a THROTTLED answer. @default 500 */
  throttleBaseDelayMs?: number;
  /** Longest single wait, including a server's `Retry-After`. @default 20000 */
  maxDelayMs?: number;
  /** One deadline for all attempts, waits, limiter queueing and refreshes. @default 60000 */
  maxElapsedMs?: number;
  /** Also retry non-idempotent methods (POST, PATCH) when the outcome is unknown (504, 5xx, reset). @default false */
  retryUnsafe?: boolean;
  /**
   * Retry budget shared by every request of the policy (a token bucket as the AWS SDKs keep):
   * each retry costs `retryCost` (`timeoutCost` after a timeout or network error), each success
   * returns `successRefund`. `false` turns it off. @default { capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 }
   */
  budget?: false | { capacity?: number; retryCost?: number; timeoutCost?: number; successRefund?: number };
}

/** Client-side rate limit of a policy. */
export interface QuivoRateLimitOptions {
  /** Sustained send rate. Unset: unknown, the adaptive limiter learns it from 429s. */
  requestsPerSecond?: number;
  /** Requests allowed at once above the sustained rate. @default 10 */
  burst?: number;
  /** Requests in flight at once. @default Infinity */
  maxConcurrent?: number;
  /** Lower the rate on THROTTLED, raise it on success. @default true */
  adaptive?: boolean;
  /**
   * Run every attempt through this bottleneck instance instead of the in-process limiter,
   * e.g. one with `datastore: 'ioredis'` shared by a fleet of app instances.
   */
  bottleneck?: BottleneckLike;
}

export interface QuivoPolicyOptions {
  /** The Quivo origin (and optional path prefix). Credentials are only ever sent here. */
  baseURL?: string;
  /** Static API key, sent as `X-Api-Key` (also to `/login`). */
  apiKey?: string;
  /** Built-in login: `POST {baseURL}/login` with `{ username, password }`, token read from `Token` or `token`. */
  credentials?: { username: string; password: string };
  /** Custom login instead of `credentials`. */
  login?: (ctx: { signal: AbortSignal }) => Promise<LoginResult>;
  /** Prefix of the Authorization value, e.g. `'Bearer'`. @default none (the raw token) */
  tokenScheme?: string;
  /** Token lifetime when neither the JWT `exp` nor the login says it. @default 3600000 */
  tokenLifetimeMs?: number;
  /** Renew the token this long before it expires. @default 60000 */
  refreshAheadMs?: number;
  /** `retry: 3` or `retry: false` as shorthand. */
  retry?: number | false | QuivoRetryOptions;
  /** `false`, or the limiter settings. @default adaptive limiter on */
  rateLimit?: false | QuivoRateLimitOptions;
  /** Per-attempt timeout. @default 30000 */
  timeoutMs?: number;
  /** fetch used for the built-in login. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Testing seams: a clock, a sleep and a random source. */
  clock?: QuivoClock;
}

export interface QuivoClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** A number in [0, 1). */
  random(): number;
}

/** Per-request controls an adapter reads from its own request config. */
export interface QuivoRequestOverrides {
  /** `false`: a single attempt, no retry (a 401 still refreshes once unless `auth` is false). */
  retry?: false | undefined;
  /** Also retry this request when its outcome is unknown, though its method is not idempotent. */
  retryUnsafe?: boolean | undefined;
  /** `false`: send no credentials and never refresh for this request. */
  auth?: false | undefined;
}

/** The neutral request an adapter hands to `policy.execute`. */
export interface PolicyRequest extends QuivoRequestOverrides {
  method: string;
  /** Absolute URL. */
  url: string;
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout for this request; overrides the policy's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /**
   * Set when the body cannot be sent twice (a one-shot stream): the request gets one attempt
   * and a failure that would have been retried says why.
   */
  notReplayable?: string | undefined;
}

/** What the policy gives each attempt. */
export interface AttemptContext {
  /** 1-based. */
  readonly attempt: number;
  /** Headers to set on this attempt (X-Api-Key, Authorization); empty for other origins or `auth: false`. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Aborts on the caller's abort and when `timeoutMs` has passed (the per-attempt timeout, cut
   * to the overall deadline). It is made when first read. An adapter whose client enforces a
   * timeout itself may instead hand the client `timeoutMs` and `callerSignal` and never read
   * this: a timeout error from the client is then reported as the policy's own `TIMEOUT`.
   */
  readonly signal: AbortSignal;
  /** This attempt's time limit in whole milliseconds (at least 1), already cut to the deadline. */
  readonly timeoutMs: number;
  /** The request's own signal (the caller's), if it has one. */
  readonly callerSignal: AbortSignal | undefined;
  /**
   * The adapter calls this when a redirect turns the request into a GET (a 303, or a 301/302
   * after a POST): the request itself has then run on the server, so whatever befalls a later
   * hop (a 429, a 401, a refused connection) never sends a method that is not idempotent again.
   * Optional, so a policy written before it still serves: adapters call it as `markRedirected?.()`.
   */
  markRedirected?(): void;
}

/** What an adapter reports back for an attempt that got an HTTP response. */
export interface AttemptResponse<T> {
  status: number;
  statusText?: string | undefined;
  headers: HeadersLike;
  /** The body when the client already read it (axios `data`). */
  body?: unknown;
  /** Reads the body on demand (fetch: a clone's text); only called for status >= 400. */
  readBody?: (() => Promise<unknown>) | undefined;
  /** Frees a response the policy will not hand back (fetch: cancel its body). */
  discard?: (() => void) | undefined;
  /** What the adapter returns to its caller when this is the final attempt. */
  value: T;
}

/** The attempt function an adapter passes in. It throws only when there is no response. */
export type SendAttempt<T> = (ctx: AttemptContext) => Promise<AttemptResponse<T>>;

export interface ExecuteResult<T> {
  /** The final attempt's `value`. */
  value: T;
  status: number;
  attempts: number;
  /** Set when the final response is an error (status >= 400); the adapter decides whether to throw it. */
  error?: QuivoError | undefined;
}

export interface RetryEvent {
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: QuivoError;
  readonly method: string;
  readonly url: string;
}
export interface RefreshEvent {
  readonly reason: 'initial' | 'expired' | 'unauthorized' | 'proactive';
  readonly outcome: 'success' | 'failure';
  readonly generation: number;
  readonly error?: QuivoError | undefined;
}
export interface ThrottleEvent {
  readonly previousRate: number;
  readonly rate: number;
  readonly error: QuivoError;
}
export interface GiveUpEvent {
  readonly attempts: number;
  readonly error: QuivoError;
  readonly trail: readonly AttemptRecord[];
}

/** A listener's disposer: call it, or call `.dispose()`. */
export interface Disposer {
  (): void;
  dispose(): void;
}

export interface QuivoPolicy {
  /** Normalised options, frozen. */
  readonly options: Readonly<QuivoPolicyOptions>;
  /** True when `url` is for the configured Quivo origin (and path prefix). */
  appliesTo(url: string): boolean;
  /** Runs one logical request: limiter, auth, attempts, classification, refresh and retries. */
  execute<T>(request: PolicyRequest, send: SendAttempt<T>): Promise<ExecuteResult<T>>;
  onRetry(listener: (event: RetryEvent) => void): Disposer;
  onRefresh(listener: (event: RefreshEvent) => void): Disposer;
  onThrottle(listener: (event: ThrottleEvent) => void): Disposer;
  onGiveUp(listener: (event: GiveUpEvent) => void): Disposer;
  /** Nothing to stop today: the policy schedules nothing while idle. Kept so adapters can release a policy they created. */
  close(): void;
}
