import { abortableSleep, raceAbort } from '../abortable-sleep.js';
import { fullJitterDelay } from '../backoff.js';
import type { QuivoEvent } from '../events.js';
import { isHeaderValue } from '../header-value.js';
import type { LoginResult, QuivoClock, RefreshEvent } from '../policy-types.js';
import { isQuivoError, type QuivoError } from '../quivo-error.js';
import { toQuivoError } from '../to-quivo-error.js';
import { authFailed, loginFailureCause } from './auth-errors.js';
import { jwtExpiresAt } from './jwt-expiry.js';

/** A token the manager handed out; `generation` tells tokens apart when a 401 comes back. */
export interface SessionToken {
  readonly value: string;
  readonly generation: number;
  readonly expiresAt: number;
  readonly refreshAt: number;
}

type RefreshReason = RefreshEvent['reason'];

type TokenState =
  | { readonly phase: 'empty'; readonly retryAt: number; readonly lastError?: QuivoError }
  | { readonly phase: 'valid'; readonly token: SessionToken }
  | { readonly phase: 'refreshing'; readonly flight: Promise<SessionToken>; readonly previous: SessionToken | undefined };

export interface TokenManagerSettings {
  login: (ctx: { signal: AbortSignal }) => Promise<LoginResult>;
  clock: QuivoClock;
  tokenLifetimeMs: number;
  refreshAheadMs: number;
  /** Per-attempt timeout of a login call. */
  timeoutMs: number;
  /** Longest a login (with its retries) may take. */
  maxElapsedMs: number;
  /** Secret values to scrub from login error messages. */
  secrets: readonly string[];
  onRefresh: QuivoEvent<RefreshEvent>;
}

const LOGIN_ATTEMPTS = 3;
const LOGIN_RETRY_BASE_MS = 200;
const LOGIN_RETRY_CAP_MS = 2_000;
const MAX_COOLDOWN_MS = 30_000;

/**
 * One session token for every request of a policy. Logins are single-flight: however many
 * requests need a token at once, one login runs and they all wait for it. A login belongs
 * to no caller, so one caller's abort never cancels it for the others.
 */
export class TokenManager {
  readonly #settings: TokenManagerSettings;
  #state: TokenState = { phase: 'empty', retryAt: 0 };
  #generation = 0;
  /** Logins that failed in a row, in any phase: they space the next ones out. */
  #failures = 0;
  /** The newest generation the server refused: never handed out again. */
  #refusedGeneration = 0;

  constructor(settings: TokenManagerSettings) {
    this.#settings = settings;
  }

  /**
   * The token to send now, without waiting: undefined when there is none that is still
   * valid. Past its refresh time it starts a background renewal and keeps handing out the
   * old token until that lands.
   */
  current(): SessionToken | undefined {
    const state = this.#state;
    const now = this.#settings.clock.now();
    if (state.phase === 'valid') {
      if (now >= state.token.expiresAt) return undefined;
      if (now >= state.token.refreshAt) this.#startLogin('proactive', state.token);
      return state.token;
    }
    if (state.phase === 'refreshing' && state.previous && now < state.previous.expiresAt && state.previous.generation > this.#refusedGeneration) {
      return state.previous;
    }
    return undefined;
  }

  /** A valid token, logging in first when there is none. */
  get(signal: AbortSignal): Promise<SessionToken> {
    const token = this.current();
    if (token) return Promise.resolve(token);
    return this.#waitForLogin(this.#state.phase === 'valid' ? 'expired' : 'initial', signal);
  }

  /**
   * The server refused the token of `generation`. A newer token is handed out at once; only
   * a 401 for the current token starts a login.
   */
  rejected(generation: number, reason: 'expired' | 'unauthorized', signal: AbortSignal): Promise<SessionToken> {
    const state = this.#state;
    if (state.phase === 'valid' && state.token.generation > generation) return Promise.resolve(state.token);
    // Recorded even while a renewal runs, so a failed renewal does not bring this token back.
    this.discard(generation);
    if (state.phase === 'refreshing') return raceAbort(state.flight, signal);
    return this.#waitForLogin(reason, signal);
  }

  /** The server refused the token of `generation`: it is not handed out again; the next request logs in. */
  discard(generation: number): void {
    this.#refusedGeneration = Math.max(this.#refusedGeneration, generation);
    const state = this.#state;
    if (state.phase === 'valid' && state.token.generation <= generation) this.#state = { phase: 'empty', retryAt: 0 };
  }

  #waitForLogin(reason: RefreshReason, signal: AbortSignal): Promise<SessionToken> {
    const state = this.#state;
    if (state.phase === 'refreshing') return raceAbort(state.flight, signal);
    if (state.phase === 'empty' && this.#settings.clock.now() < state.retryAt) {
      const waitMs = state.retryAt - this.#settings.clock.now();
      const cause = state.lastError?.cause ?? state.lastError;
      return Promise.reject(authFailed(`login failed ${this.#failures} times in a row; the next login is allowed in ${Math.ceil(waitMs)} ms`, cause, this.#settings.secrets));
    }
    return raceAbort(this.#startLogin(reason, undefined), signal);
  }

  #startLogin(reason: RefreshReason, previous: SessionToken | undefined): Promise<SessionToken> {
    let startLogin!: () => void;
    const loggedIn = new Promise<SessionToken>((resolve, reject) => {
      startLogin = () => void this.#login().then(resolve, reject);
    });
    const flight = loggedIn.then(
      (token) => {
        this.#failures = 0;
        this.#state = { phase: 'valid', token };
        this.#settings.onRefresh.emit(Object.freeze({ reason, outcome: 'success', generation: token.generation }));
        return token;
      },
      (cause: unknown) => {
        const error = isQuivoError(cause) && cause.code === 'AUTH_FAILED' ? cause : authFailed(loginFailureCause(cause, this.#settings.secrets), cause, this.#settings.secrets);
        this.#failures += 1;
        const now = this.#settings.clock.now();
        const cooldown = loginCooldownMs(this.#failures);
        // A failed background renewal keeps the old token while it is valid and the server has
        // not refused it, and tries again after the cooldown.
        const keep = previous && now < previous.expiresAt && previous.generation > this.#refusedGeneration;
        this.#state = keep
          ? { phase: 'valid', token: { ...previous, refreshAt: now + Math.max(cooldown, 1000) } }
          : { phase: 'empty', retryAt: now + cooldown, lastError: error };
        this.#settings.onRefresh.emit(Object.freeze({ reason, outcome: 'failure', generation: this.#generation, error }));
        throw error;
      },
    );
    // Background renewals have no waiter; their failure is reported through onRefresh.
    flight.catch(() => {});
    // Refreshing before the login function runs: a token it asks for on the way (a login that
    // goes through a fetch wrapper of this policy) joins this flight instead of starting another.
    this.#state = { phase: 'refreshing', flight, previous };
    startLogin();
    return flight;
  }

  async #login(): Promise<SessionToken> {
    const { clock, maxElapsedMs } = this.#settings;
    const deadline = clock.now() + maxElapsedMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return this.#issue(await this.#loginOnce(deadline));
      } catch (error) {
        // A custom login throws its client's own errors (fetch's TypeError, an AxiosError...).
        const transient = (isQuivoError(error) ? error : toQuivoError({ cause: error })).transient;
        const delay = fullJitterDelay(attempt - 1, LOGIN_RETRY_BASE_MS, LOGIN_RETRY_CAP_MS, clock.random());
        if (!transient || attempt >= LOGIN_ATTEMPTS || clock.now() + delay >= deadline) throw error;
        await abortableSleep(clock, delay);
      }
    }
  }

  async #loginOnce(deadline: number): Promise<LoginResult> {
    const { clock, timeoutMs } = this.#settings;
    const controller = new AbortController();
    const timer = clock.setTimeout(() => controller.abort(new DOMException('login timed out', 'TimeoutError')), Math.max(1, Math.min(timeoutMs, deadline - clock.now())));
    try {
      // Raced as well: a login that ignores its signal must not hold every request forever.
      return await raceAbort(this.#settings.login({ signal: controller.signal }), controller.signal);
    } finally {
      clock.clearTimeout(timer);
    }
  }

  #issue(result: LoginResult): SessionToken {
    const value = typeof result === 'string' ? result : result?.token;
    if (typeof value !== 'string' || value === '') throw authFailed('login returned no token', undefined);
    // Never sent: the client would refuse it with an error that quotes the token.
    if (!isHeaderValue(value)) throw authFailed('login returned a token that is not a valid HTTP header value', undefined);
    const now = this.#settings.clock.now();
    const given = typeof result === 'string' ? undefined : result.expiresAt;
    const expiresAt = plausibleExpiry((given instanceof Date ? given.getTime() : given) ?? jwtExpiresAt(value), now) ?? now + this.#settings.tokenLifetimeMs;
    const lifetime = Math.max(0, expiresAt - now);
    const refreshAt = expiresAt - Math.min(this.#settings.refreshAheadMs, lifetime / 4);
    this.#generation += 1;
    return { value, generation: this.#generation, expiresAt, refreshAt };
  }
}

/** No wait after a first failure; then 1 s, 2 s, 4 s ... up to 30 s between logins. */
function loginCooldownMs(failures: number): number {
  return failures <= 1 ? 0 : Math.min(MAX_COOLDOWN_MS, 1000 * 2 ** (failures - 2));
}

/**
 * An expiry we can schedule by: epoch seconds (a common slip for milliseconds) are read as
 * such, and one that leaves under a second (a client clock ahead of the issuer's) is
 * ignored, so the configured lifetime applies and a 401 says when it really ends.
 */
function plausibleExpiry(expiresAt: number | undefined, now: number): number | undefined {
  if (expiresAt === undefined || !Number.isFinite(expiresAt)) return undefined;
  const ms = expiresAt < 1e11 ? expiresAt * 1000 : expiresAt;
  return ms - now < 1000 ? undefined : ms;
}
