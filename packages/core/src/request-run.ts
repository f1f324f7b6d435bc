import pRetry from 'p-retry';
import { abortableSleep } from './abortable-sleep.js';
import { AttemptScope } from './attempt-scope.js';
import type { SessionToken, TokenManager } from './auth/token-manager.js';
import { parseRetryAfter } from './backoff.js';
import { decideRetry, type RetryDecision } from './decide-retry.js';
import type { AttemptRecord } from './error-types.js';
import type { Permit, RequestLimiter } from './limiter/limiter-types.js';
import type { ResolvedPolicyOptions } from './options.js';
import type { PolicyEvents } from './policy-events.js';
import type { AttemptResponse, ExecuteResult, PolicyRequest, SendAttempt } from './policy-types.js';
import { QuivoError, copyQuivoError } from './quivo-error.js';
import { readHeader } from './read-headers.js';
import type { RetryBudget } from './retry-budget.js';
import { RequestScope } from './request-scope.js';
import { toQuivoError } from './to-quivo-error.js';

/** What a request run needs from its policy. */
export interface PolicyParts {
  readonly options: ResolvedPolicyOptions;
  readonly limiter: RequestLimiter;
  readonly tokens: TokenManager | undefined;
  readonly budget: RetryBudget | undefined;
  readonly events: PolicyEvents;
  /** The API key and password, to scrub from error texts. */
  readonly secrets: readonly string[];
}

/** An attempt that failed; carries the response when there was one. */
class AttemptFailure<T> extends Error {
  constructor(
    readonly error: QuivoError,
    readonly response: AttemptResponse<T> | undefined,
    /** True when the run must end now, without asking the retry decision. */
    readonly final = false,
    /** A redirect turned the request into a GET before the attempt failed: the request itself has run. */
    readonly redirected = false,
  ) {
    super(error.message);
  }
}

/**
 * One logical request through the pipeline: limiter, auth, attempt, classify, decide. All
 * per-request state lives here, never on the caller's objects. p-retry runs the loop; the
 * decision of whether and when to go again is `decideRetry`'s.
 */
export class RequestRun<T> {
  readonly #parts: PolicyParts;
  readonly #request: PolicyRequest;
  readonly #send: SendAttempt<T>;
  readonly #method: string;
  readonly #usesToken: boolean;
  readonly #sendsApiKey: boolean;
  readonly #scope: RequestScope;
  #attempts = 0;
  #retriesMade = 0;
  #refreshed = false;
  #throttledAnswers = 0;
  #lastRetryCost = 0;
  #sentAt = 0;
  #token: SessionToken | undefined;
  #trail: AttemptRecord[] | undefined;
  #lastFailure: AttemptFailure<T> | undefined;
  /** A failed attempt's response, kept unread until the next attempt goes out: the run may yet end with it. */
  #heldResponse: AttemptResponse<T> | undefined;

  constructor(parts: PolicyParts, request: PolicyRequest, send: SendAttempt<T>, withCredentials: boolean) {
    this.#parts = parts;
    this.#request = request;
    this.#send = send;
    this.#method = request.method.toUpperCase();
    this.#usesToken = withCredentials && parts.tokens !== undefined;
    this.#sendsApiKey = withCredentials && parts.options.apiKey !== undefined;
    this.#scope = new RequestScope(parts.options.clock, request.signal, parts.options.retry.maxElapsedMs);
  }

  async run(): Promise<ExecuteResult<T>> {
    try {
      let response: AttemptResponse<T>;
      try {
        response = await this.#attempt();
      } catch (failure) {
        response = await this.#retryAfter(failure);
      }
      this.#parts.limiter.onSuccess();
      this.#parts.budget?.refund(this.#lastRetryCost);
      return { value: response.value, status: response.status, attempts: this.#attempts };
    } catch (thrown) {
      return this.#giveUp(thrown);
    } finally {
      this.#scope.dispose();
    }
  }

  /**
   * The first attempt runs on its own, so a request that succeeds at once costs no retry
   * machinery; after a failure p-retry runs the loop, and `decideRetry` says whether and when
   * to go again.
   */
  async #retryAfter(firstFailure: unknown): Promise<AttemptResponse<T>> {
    if (!(await this.#afterFailure(firstFailure))) throw firstFailure;
    return pRetry(() => this.#attempt(), {
      // Our decision governs, so it must see every failure: p-retry's own bound is one more
      // than our retries plus the refresh can use, a backstop only.
      retries: this.#parts.options.retry.retries + 1,
      minTimeout: 0,
      maxTimeout: 0,
      randomize: false,
      shouldRetry: ({ error }) => this.#afterFailure(error),
    });
  }

  async #attempt(): Promise<AttemptResponse<T>> {
    this.#stopIfEnded('before the attempt');
    // The login is awaited before a limiter slot is taken, so no slot sits idle behind it.
    const tokens = this.#usesToken ? this.#parts.tokens : undefined;
    // A token at hand is taken without an await: only a login still to come is waited for.
    const token = tokens ? (tokens.current() ?? (await this.#wait(tokens.get(this.#scope.waitSignal()), 'waiting for the login'))) : undefined;
    const permit = this.#parts.limiter.tryAcquire() ?? (await this.#queueForPermit());
    let attempt: AttemptScope | undefined;
    try {
      // One reading of the clock serves the checks, the attempt's time limit and its send time.
      const now = this.#parts.options.clock.now();
      this.#stopIfEnded('before the attempt', now);
      // A token renewed while this request queued is the one to send; none for a request without one.
      const headers = this.#credentials(token && (this.#parts.tokens?.current() ?? token));
      const timeoutMs = Math.min(this.#request.timeoutMs || this.#parts.options.timeoutMs, this.#scope.remainingMs(now));
      this.#attempts += 1;
      this.#discardHeldResponse();
      attempt = new AttemptScope(this.#parts.options.clock, this.#attempts, headers, this.#scope.callerSignal, timeoutMs);
      this.#sentAt = now;
      const response = await attempt.settle(this.#send(attempt));
      if (response.status < 400) return response;
      throw new AttemptFailure(await this.#classifyResponse(response), response, false, attempt.redirected);
    } catch (thrown) {
      if (thrown instanceof AttemptFailure) throw thrown;
      throw new AttemptFailure(this.#classifyThrown(thrown, attempt), undefined, false, attempt?.redirected);
    } finally {
      attempt?.dispose();
      permit.release();
    }
  }

  /**
   * Waits in the limiter's queue. A limiter that fails (a Redis-clustered bottleneck whose Redis
   * is down) ends the run: nothing was sent, and another attempt would only wait on it again.
   */
  async #queueForPermit(): Promise<Permit> {
    try {
      return await this.#wait(this.#parts.limiter.acquire(this.#scope.waitSignal()), 'waiting for the rate limiter');
    } catch (thrown) {
      if (thrown instanceof AttemptFailure) throw thrown;
      const error = new QuivoError({
        code: 'LIMITER_FAILED',
        message: `not sent: the rate limiter failed (${thrown instanceof Error ? thrown.message : String(thrown)})`,
        method: this.#method,
        url: this.#request.url,
        cause: thrown,
        secrets: this.#parts.secrets,
      });
      this.#record(error, { action: 'give-up', reason: 'the rate limiter failed' }, this.#attempts + 1);
      throw new AttemptFailure(error, undefined, true);
    }
  }

  #credentials(token: SessionToken | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    const { options } = this.#parts;
    if (this.#sendsApiKey) headers['X-Api-Key'] = options.apiKey!;
    this.#token = token;
    if (token) headers['Authorization'] = options.tokenScheme ? `${options.tokenScheme} ${token.value}` : token.value;
    return headers;
  }

  async #classifyResponse(response: AttemptResponse<T>): Promise<QuivoError> {
    let body = response.body;
    if (body === undefined && response.readBody) {
      try {
        body = await response.readBody();
      } catch {
        body = undefined;
      }
    }
    return toQuivoError({
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body,
      method: this.#method,
      url: this.#request.url,
      secrets: this.#secrets(),
    });
  }

  #classifyThrown(thrown: unknown, attempt: AttemptScope | undefined): QuivoError {
    if (thrown instanceof QuivoError && (thrown.code === 'ABORTED' || thrown.code === 'AUTH_FAILED' || thrown.code === 'TIMEOUT')) return thrown;
    if (attempt?.cause === 'caller' || this.#scope.endedBy) return this.#endedError(thrown);
    const timedOut = (): QuivoError => this.#clientError('TIMEOUT', `no response within ${attempt!.timeoutMs} ms`, thrown);
    if (attempt?.cause === 'timeout') return timedOut();
    const error = toQuivoError({ method: this.#method, url: this.#request.url, cause: thrown, secrets: this.#secrets() });
    // The adapter's client enforced the timeout itself: its timeout error reads as ours.
    return attempt && !attempt.armed && error.code === 'TIMEOUT' ? timedOut() : error;
  }

  /** Credentials this request carried: a server or a client error that echoes one must not leak it. */
  #secrets(): string[] {
    const secrets = [...this.#parts.secrets];
    if (this.#token) secrets.push(this.#token.value);
    return secrets;
  }

  async #afterFailure(thrown: unknown): Promise<boolean> {
    if (!(thrown instanceof AttemptFailure) || thrown.final) return false;
    const failure = thrown as AttemptFailure<T>;
    this.#lastFailure = failure;
    // The limiter learns from every throttle, whether or not this request goes again.
    if (failure.error.code === 'THROTTLED') {
      this.#throttledAnswers += 1;
      this.#parts.events.throttled(this.#parts.limiter.onThrottled(this.#sentAt), failure.error);
    }
    const decision = this.#decide(failure);
    this.#record(failure.error, decision);
    if (decision.action === 'give-up') {
      if (failure.error.status === 401 && !this.#refreshed && this.#token) this.#parts.tokens?.discard(this.#token.generation);
      return false;
    }
    this.#heldResponse = failure.response;
    if (decision.action === 'refresh') {
      this.#refreshed = true;
      const reason = failure.error.code === 'TOKEN_EXPIRED' ? 'expired' : 'unauthorized';
      await this.#wait(this.#parts.tokens!.rejected(this.#token?.generation ?? 0, reason, this.#scope.waitSignal()), 'waiting for the login');
      return true;
    }
    this.#retriesMade += 1;
    this.#parts.events.retry({ attempt: this.#attempts, delayMs: decision.delayMs, error: failure.error, method: this.#method, url: failure.error.url ?? '' });
    await this.#wait(abortableSleep(this.#parts.options.clock, decision.delayMs, this.#scope.waitSignal()), 'waiting to retry');
    return true;
  }

  #decide(failure: AttemptFailure<T>): RetryDecision {
    const { options, budget } = this.#parts;
    const retryAfter = failure.response ? readHeader(failure.response.headers, 'retry-after') : undefined;
    const decision = decideRetry({
      error: failure.error,
      method: this.#method,
      retry: options.retry,
      retriesMade: this.#retriesMade,
      refreshed: this.#refreshed,
      usesSessionToken: this.#usesToken,
      retryDisabled: this.#request.retry === false,
      retryUnsafe: this.#request.retryUnsafe ?? options.retry.retryUnsafe,
      notReplayable: this.#request.notReplayable,
      redirected: failure.redirected,
      retryAfterMs: parseRetryAfter(retryAfter, options.clock.now()),
      remainingMs: this.#scope.remainingMs(),
      random: options.clock.random(),
      pacedByLimiter: this.#throttledAnswers === 1 && this.#parts.limiter.rate !== Infinity,
    });
    // A throttled request never reached the backend and the limiter paces its retry: it adds
    // no load to a failing upstream, so it costs the budget nothing.
    if (decision.action !== 'retry' || !budget || failure.error.code === 'THROTTLED') return decision;
    const kind = failure.error.code === 'TIMEOUT' || failure.error.code === 'NETWORK' ? 'timeout' : 'retry';
    const cost = budget.trySpend(kind);
    if (cost === undefined) return { action: 'give-up', reason: 'no retry: the retry budget is spent (too many recent failures)' };
    this.#lastRetryCost = cost;
    return decision;
  }

  /** Waits on a promise that rejects when the scope ends; turns that into the final error. */
  async #wait<R>(promise: Promise<R>, during: string): Promise<R> {
    try {
      return await promise;
    } catch (thrown) {
      if (thrown instanceof QuivoError && this.#scope.endedBy !== 'caller') {
        this.#record(thrown, { action: 'give-up', reason: `${thrown.code} ${during}` }, this.#attempts + 1);
        throw new AttemptFailure(thrown, undefined, true);
      }
      if (!this.#scope.endedBy) throw thrown;
      throw this.#endingFailure(thrown, during);
    }
  }

  /** Ends the run when the caller aborted or the deadline has passed (at `now`, or no time left). */
  #stopIfEnded(during: string, now = this.#parts.options.clock.now()): void {
    if (this.#scope.endedAt(now)) throw this.#endingFailure(this.#scope.reason, during);
  }

  #endingFailure(cause: unknown, during: string): AttemptFailure<T> {
    const last = this.#lastFailure;
    if (this.#scope.endedBy !== 'caller' && last) {
      this.#record(last.error, { action: 'give-up', reason: `deadline passed ${during}` }, this.#attempts + 1);
      return new AttemptFailure(last.error, last.response, true);
    }
    const error = this.#endedError(cause, during);
    this.#record(error, { action: 'give-up', reason: `${error.code === 'ABORTED' ? 'aborted' : 'deadline passed'} ${during}` }, this.#attempts + 1);
    return new AttemptFailure(error, undefined, true);
  }

  #endedError(cause: unknown, during?: string): QuivoError {
    if (this.#scope.endedBy === 'caller') return this.#clientError('ABORTED', `the request was aborted${during ? ` ${during}` : ''}`, cause);
    return this.#clientError('TIMEOUT', `the request deadline of ${this.#parts.options.retry.maxElapsedMs} ms passed${during ? ` ${during}` : ''}`, cause);
  }

  #clientError(code: 'ABORTED' | 'TIMEOUT', message: string, cause: unknown): QuivoError {
    return new QuivoError({ code, message, source: 'client', outcome: 'unknown', method: this.#method, url: this.#request.url, cause });
  }

  /** Adds what happened to `attempt` (by default the last one sent) to the error's trail. */
  #record(error: QuivoError, decision: RetryDecision, attempt = this.#attempts): void {
    this.#trail ??= [];
    this.#trail.push({
      attempt,
      code: error.code,
      ...(error.status === undefined ? {} : { status: error.status }),
      action: decision.action,
      ...(decision.action === 'retry' ? { delayMs: decision.delayMs } : {}),
      reason: decision.reason,
    });
  }

  #giveUp(thrown: unknown): ExecuteResult<T> {
    const failure = thrown instanceof AttemptFailure ? (thrown as AttemptFailure<T>) : new AttemptFailure<T>(toQuivoError({ method: this.#method, url: this.#request.url, cause: thrown }), undefined);
    const trail = this.#trail ?? [];
    const notRetried = this.#request.notReplayable && trail.at(-1)?.reason === `no retry: ${this.#request.notReplayable}`;
    const error = notRetried
      ? copyQuivoError(failure.error, { attempts: this.#attempts, trail, message: `${failure.error.message} (not retried: ${this.#request.notReplayable})` })
      : failure.error.withAttempts(this.#attempts, trail);
    this.#parts.events.giveUp({ attempts: this.#attempts, error, trail: error.trail });
    const answer = failure.response && error.status !== undefined ? failure.response : undefined;
    if (this.#heldResponse !== answer) this.#discardHeldResponse();
    // A 404 or a 409 is a round trip the gateway let through: the limiter may widen on it, as on a success.
    if (answer && answer.status < 500 && error.code !== 'THROTTLED' && error.code !== 'QUOTA_EXCEEDED') this.#parts.limiter.onSuccess();
    if (answer) return { value: answer.value, status: answer.status, attempts: this.#attempts, error };
    throw error;
  }

  /** Frees the held response: a new attempt is going out, or the run ends with another answer. */
  #discardHeldResponse(): void {
    this.#heldResponse?.discard?.();
    this.#heldResponse = undefined;
  }
}

