import { systemClock } from './clock.js';
import { isHeaderValue } from './header-value.js';
import { describeValue, invalidOptions } from './invalid-options.js';
import type { LimiterSettings } from './limiter/create-limiter.js';
import type { LoginResult, QuivoClock, QuivoPolicyOptions, QuivoRetryOptions } from './policy-types.js';
import type { RetryBudgetSettings } from './retry-budget.js';

/** Every default of a policy, in one place. */
export const POLICY_DEFAULTS = Object.freeze({
  /** @default 3600000 (Quivo's session tokens live one hour) */
  tokenLifetimeMs: 3_600_000,
  /** @default 60000 */
  refreshAheadMs: 60_000,
  /** @default 30000 */
  timeoutMs: 30_000,
  retry: Object.freeze({
    /** @default 3 */
    retries: 3,
    /** @default 100 */
    baseDelayMs: 100,
    /** @default 500 */
    throttleBaseDelayMs: 500,
    /** @default 20000 */
    maxDelayMs: 20_000,
    /** @default 60000 */
    maxElapsedMs: 60_000,
    /** @default false */
    retryUnsafe: false,
  }),
  budget: Object.freeze({ capacity: 500, retryCost: 5, timeoutCost: 10, successRefund: 1 }),
  rateLimit: Object.freeze({ burst: 10, maxConcurrent: Infinity, adaptive: true }),
});

export type LoginFunction = (ctx: { signal: AbortSignal }) => Promise<LoginResult>;

export interface ResolvedRetry {
  retries: number;
  baseDelayMs: number;
  throttleBaseDelayMs: number;
  maxDelayMs: number;
  maxElapsedMs: number;
  retryUnsafe: boolean;
  budget: RetryBudgetSettings | false;
}

/** Options after `normalizeOptions`: every field filled and checked. */
export interface ResolvedPolicyOptions {
  base: URL | undefined;
  apiKey: string | undefined;
  credentials: { username: string; password: string } | undefined;
  login: LoginFunction | undefined;
  tokenScheme: string | undefined;
  tokenLifetimeMs: number;
  refreshAheadMs: number;
  timeoutMs: number;
  retry: ResolvedRetry;
  rateLimit: LimiterSettings | false;
  fetch: typeof fetch | undefined;
  clock: QuivoClock;
}

export function normalizeOptions(input: QuivoPolicyOptions): ResolvedPolicyOptions {
  if (typeof input !== 'object' || input === null) throw invalidOptions('options must be an object');
  const base = parseBaseURL(input.baseURL);
  if (input.credentials !== undefined) checkCredentials(input.credentials);
  if (input.login !== undefined && typeof input.login !== 'function') throw invalidOptions('login must be a function');
  if ((input.credentials || input.login) && !base) throw invalidOptions('baseURL is required when credentials or login are set');
  if (input.apiKey !== undefined && (typeof input.apiKey !== 'string' || input.apiKey === '')) {
    throw invalidOptions('apiKey must be a non-empty string');
  }
  if (input.apiKey !== undefined && !isHeaderValue(input.apiKey)) throw invalidOptions('apiKey is not a valid HTTP header value (a line break, a control character or a character beyond Latin-1)');
  return {
    base,
    apiKey: input.apiKey,
    credentials: input.credentials,
    login: input.login,
    tokenScheme: optionalString('tokenScheme', input.tokenScheme),
    tokenLifetimeMs: duration('tokenLifetimeMs', input.tokenLifetimeMs, POLICY_DEFAULTS.tokenLifetimeMs, 1),
    refreshAheadMs: duration('refreshAheadMs', input.refreshAheadMs, POLICY_DEFAULTS.refreshAheadMs, 0),
    timeoutMs: timeSpan('timeoutMs', input.timeoutMs, POLICY_DEFAULTS.timeoutMs, 1),
    retry: normalizeRetry(input.retry),
    rateLimit: normalizeRateLimit(input.rateLimit),
    fetch: input.fetch,
    clock: input.clock ?? systemClock,
  };
}

function normalizeRetry(input: QuivoPolicyOptions['retry']): ResolvedRetry {
  const shorthand: QuivoRetryOptions = input === false ? { retries: 0 } : typeof input === 'number' ? { retries: input } : (input ?? {});
  if (typeof shorthand !== 'object') throw invalidOptions('retry must be a number, false or an object');
  const d = POLICY_DEFAULTS.retry;
  const retries = shorthand.retries ?? d.retries;
  if (!Number.isInteger(retries) || retries < 0 || retries > 100) throw invalidOptions('retry.retries must be an integer from 0 to 100');
  return {
    retries,
    baseDelayMs: timeSpan('retry.baseDelayMs', shorthand.baseDelayMs, d.baseDelayMs, 0),
    throttleBaseDelayMs: timeSpan('retry.throttleBaseDelayMs', shorthand.throttleBaseDelayMs, d.throttleBaseDelayMs, 0),
    maxDelayMs: timeSpan('retry.maxDelayMs', shorthand.maxDelayMs, d.maxDelayMs, 0),
    maxElapsedMs: timeSpan('retry.maxElapsedMs', shorthand.maxElapsedMs, d.maxElapsedMs, 1),
    retryUnsafe: flag('retry.retryUnsafe', shorthand.retryUnsafe, d.retryUnsafe),
    budget: normalizeBudget(shorthand.budget),
  };
}

function normalizeBudget(input: QuivoRetryOptions['budget']): RetryBudgetSettings | false {
  if (input === false) return false;
  const d = POLICY_DEFAULTS.budget;
  return {
    capacity: duration('retry.budget.capacity', input?.capacity, d.capacity, 0),
    retryCost: duration('retry.budget.retryCost', input?.retryCost, d.retryCost, 0),
    timeoutCost: duration('retry.budget.timeoutCost', input?.timeoutCost, d.timeoutCost, 0),
    successRefund: duration('retry.budget.successRefund', input?.successRefund, d.successRefund, 0),
  };
}

function normalizeRateLimit(input: QuivoPolicyOptions['rateLimit']): LimiterSettings | false {
  if (input === false) return false;
  const options = input ?? {};
  if (typeof options !== 'object') throw invalidOptions('rateLimit must be false or an object');
  const d = POLICY_DEFAULTS.rateLimit;
  const requestsPerSecond = options.requestsPerSecond ?? Infinity;
  if (!(requestsPerSecond > 0)) throw invalidOptions('rateLimit.requestsPerSecond must be a positive number');
  const maxConcurrent = options.maxConcurrent ?? d.maxConcurrent;
  if (!(maxConcurrent >= 1)) throw invalidOptions('rateLimit.maxConcurrent must be at least 1');
  const burst = options.burst ?? d.burst;
  if (!(burst >= 1) || !Number.isFinite(burst)) throw invalidOptions('rateLimit.burst must be a finite number of at least 1');
  return { requestsPerSecond, burst, maxConcurrent, adaptive: flag('rateLimit.adaptive', options.adaptive, d.adaptive), bottleneck: options.bottleneck };
}

function parseBaseURL(value: string | undefined): URL | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidOptions('baseURL must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidOptions('baseURL must be an absolute http(s) URL');
  if (url.username || url.password) throw invalidOptions('baseURL must not carry credentials; use the credentials option');
  return url;
}

function checkCredentials(credentials: unknown): void {
  const c = credentials as { username?: unknown; password?: unknown } | null;
  if (typeof c !== 'object' || c === null || typeof c.username !== 'string' || typeof c.password !== 'string' || c.username === '') {
    throw invalidOptions('credentials must be { username: string, password: string }');
  }
}

function optionalString(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw invalidOptions(`${name} must be a non-empty string`);
  if (!isHeaderValue(value)) throw invalidOptions(`${name} is not a valid HTTP header value`);
  return value.trim();
}

/** The longest delay a timer can wait (setTimeout's 32-bit limit, about 24.8 days): longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** A length of time that a timer waits for: finite, since a longer one would fire at once. */
function timeSpan(name: string, value: unknown, fallback: number, min: number): number {
  const ms = duration(name, value, fallback, min);
  if (!(ms <= MAX_TIMER_MS)) throw invalidOptions(`${name} must be at most ${MAX_TIMER_MS} ms (about 24.8 days), the longest a timer can wait`);
  return ms;
}

/** A yes or no: a string such as 'false' from an environment variable would read as true. */
function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOptions(`${name} must be true or false, not ${describeValue(value)}`);
  return value;
}

function duration(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < min) {
    throw invalidOptions(`${name} must be a number of at least ${min}`);
  }
  return value;
}
