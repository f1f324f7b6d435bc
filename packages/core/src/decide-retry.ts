import { fullJitterDelay } from './backoff.js';
import { isIdempotentMethod } from './http-methods.js';
import type { ResolvedRetry } from './options.js';
import type { QuivoError } from './quivo-error.js';

/** What to do after a failed attempt, and why (the why goes into the error's trail). */
export type RetryDecision =
  | { readonly action: 'refresh'; readonly reason: string }
  | { readonly action: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly action: 'give-up'; readonly reason: string };

export interface DecisionInput {
  readonly error: QuivoError;
  readonly method: string;
  readonly retry: ResolvedRetry;
  /** Retries (not refreshes) already made for this request. */
  readonly retriesMade: number;
  readonly refreshed: boolean;
  /** Whether this request carries our session token (a 401 can then be cured by a login). */
  readonly usesSessionToken: boolean;
  readonly retryDisabled: boolean;
  readonly retryUnsafe: boolean;
  readonly notReplayable: string | undefined;
  /** A redirect turned the request into a GET before the attempt failed: the request itself has run. */
  readonly redirected: boolean;
  /** The server's `Retry-After`, in ms, if it sent one. */
  readonly retryAfterMs: number | undefined;
  /** Time left before the request's deadline, ms. */
  readonly remainingMs: number;
  /** A number in [0, 1) for the jitter. */
  readonly random: number;
  /**
   * True for a request's first THROTTLED answer when the limiter sends at a finite rate: the
   * limiter has just paused (and, adaptive, slowed), so it paces the retry itself.
   */
  readonly pacedByLimiter: boolean;
}

/**
 * The retry decision as a pure function of the error and the request's state, so every
 * rule of DESIGN.md's error table is testable without a clock or a network.
 */
export function decideRetry(input: DecisionInput): RetryDecision {
  const { error, method } = input;
  if (error.code === 'ABORTED') return giveUp('aborted by the caller');
  // A 303 after a POST says the server did the work; a later hop's failure says nothing about it.
  if (input.redirected && !isIdempotentMethod(method) && !input.retryUnsafe) return giveUp(`no retry: ${method} was answered with a redirect, so it has run`);
  if (error.code === 'TOKEN_EXPIRED' || error.code === 'UNAUTHORIZED') return decideOn401(input);
  if (error.code === 'QUOTA_EXCEEDED') return decideOnQuota(input);
  if (!error.transient) return giveUp(`no retry: ${error.code} is not transient`);
  if (error.outcome !== 'not-executed' && !isIdempotentMethod(method) && !input.retryUnsafe) {
    return giveUp(`no retry: outcome unknown for ${method}`);
  }
  const blocked = retryBlocked(input);
  if (blocked) return giveUp(blocked);
  const reason = `retry: ${error.code}${error.status ? ` (${error.status})` : ''}`;
  // A backoff on top of the limiter's pacing would only leave the request behind the others
  // queued at the same rate; a second 429 for it backs off as usual, and a Retry-After rules.
  if (error.code === 'THROTTLED' && input.pacedByLimiter && input.retryAfterMs === undefined) return scheduleRetry(input, 0, `${reason}, paced by the rate limiter`);
  const base = error.code === 'THROTTLED' ? input.retry.throttleBaseDelayMs : input.retry.baseDelayMs;
  const jitter = fullJitterDelay(input.retriesMade, base, input.retry.maxDelayMs, input.random);
  return scheduleRetry(input, jitter, reason);
}

function decideOn401(input: DecisionInput): RetryDecision {
  if (!input.usesSessionToken) return giveUp('no retry: no session token to refresh');
  if (input.refreshed) return giveUp('no retry: refused again after a fresh login');
  if (input.notReplayable) return giveUp(`no retry: ${input.notReplayable}`);
  // API Gateway's authorizer refuses before the backend runs; a 401 written by the backend
  // may come after it did part of the work, so a POST is not sent again.
  if (input.error.outcome !== 'not-executed' && !isIdempotentMethod(input.method) && !input.retryUnsafe) {
    return giveUp(`no retry: the backend refused ${input.method} with 401; the next request logs in again`);
  }
  return { action: 'refresh', reason: `refresh: ${input.error.code}` };
}

function decideOnQuota(input: DecisionInput): RetryDecision {
  if (input.retryAfterMs === undefined) return giveUp('no retry: quota exceeded and no Retry-After');
  const blocked = retryBlocked(input);
  if (blocked) return giveUp(blocked);
  return scheduleRetry(input, input.retryAfterMs, 'retry: quota exceeded, waiting for Retry-After');
}

function scheduleRetry(input: DecisionInput, fallbackDelayMs: number, reason: string): RetryDecision {
  const fromServer = input.retryAfterMs !== undefined;
  if (fromServer && input.retryAfterMs! >= input.remainingMs) {
    return giveUp(`no retry: Retry-After ${Math.ceil(input.retryAfterMs! / 1000)} s would pass the deadline (${Math.max(0, Math.floor(input.remainingMs))} ms left)`);
  }
  const delayMs = fromServer ? Math.min(input.retryAfterMs!, input.retry.maxDelayMs) : fallbackDelayMs;
  if (fromServer && input.retryAfterMs! > input.retry.maxDelayMs && input.error.code === 'QUOTA_EXCEEDED') {
    return giveUp(`no retry: Retry-After ${Math.ceil(input.retryAfterMs! / 1000)} s exceeds maxDelayMs`);
  }
  if (delayMs >= input.remainingMs) {
    return giveUp(`no retry: a wait of ${delayMs} ms would pass the deadline (${Math.max(0, Math.floor(input.remainingMs))} ms left)`);
  }
  return { action: 'retry', delayMs, reason: fromServer ? `${reason}, Retry-After honoured` : reason };
}

function retryBlocked(input: DecisionInput): string | undefined {
  if (input.retryDisabled) return 'no retry: retries are off for this request';
  if (input.notReplayable) return `no retry: ${input.notReplayable}`;
  if (input.retriesMade >= input.retry.retries) return `no retry: ${input.retry.retries} retries used`;
  return undefined;
}

function giveUp(reason: string): RetryDecision {
  return { action: 'give-up', reason };
}
