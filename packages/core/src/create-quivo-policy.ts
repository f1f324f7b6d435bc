import { builtInLogin } from './auth/built-in-login.js';
import { TokenManager } from './auth/token-manager.js';
import { describeValue, invalidRequestOptions } from './invalid-options.js';
import { createLimiter, type LimiterSettings } from './limiter/create-limiter.js';
import { normalizeOptions, type ResolvedPolicyOptions } from './options.js';
import { PolicyEvents } from './policy-events.js';
import type { ExecuteResult, PolicyRequest, QuivoPolicy, QuivoPolicyOptions, QuivoRateLimitOptions, SendAttempt } from './policy-types.js';
import type { QuivoError } from './quivo-error.js';
import { isUnderBase } from './quivo-origin.js';
import { RequestRun, type PolicyParts } from './request-run.js';
import { RetryBudget } from './retry-budget.js';

const POLICY_MARKER = Symbol.for('quivo-resilience.policy');

/**
 * A policy for one Quivo service: its token, its limiter, its retry budget. Every client of
 * the service (axios instances, fetch wrappers) shares it.
 */
export function createQuivoPolicy(options: QuivoPolicyOptions): QuivoPolicy {
  const resolved = normalizeOptions(options);
  const events = new PolicyEvents();
  const parts: PolicyParts = {
    options: resolved,
    limiter: createLimiter(resolved.clock, resolved.rateLimit),
    tokens: createTokenManager(resolved, events),
    budget: resolved.retry.budget ? new RetryBudget(resolved.retry.budget) : undefined,
    events,
    secrets: configuredSecrets(resolved),
  };
  const base = resolved.base;

  const policy: QuivoPolicy = {
    options: publicSnapshot(options, resolved),
    appliesTo: (url) => base !== undefined && isUnderBase(base, url),
    execute<T>(request: PolicyRequest, send: SendAttempt<T>): Promise<ExecuteResult<T>> {
      const invalid = invalidOverride(request);
      if (invalid !== undefined) return Promise.reject(invalid);
      const withCredentials = base !== undefined && request.auth !== false && isUnderBase(base, request.url);
      return new RequestRun(parts, request, send, withCredentials).run();
    },
    onRetry: (listener) => events.onRetry.subscribe(listener),
    onRefresh: (listener) => events.onRefresh.subscribe(listener),
    onThrottle: (listener) => events.onThrottle.subscribe(listener),
    onGiveUp: (listener) => events.onGiveUp.subscribe(listener),
    close() {},
  };
  Object.defineProperty(policy, POLICY_MARKER, { value: true });
  return Object.freeze(policy);
}

/** True for a policy made by `createQuivoPolicy` (also by another copy of this package). */
export function isQuivoPolicy(value: unknown): value is QuivoPolicy {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[POLICY_MARKER] === true;
}

/**
 * A bad per-request override (`timeoutMs: 'abc'`, `retryUnsafe: 'yes'`) fails before anything
 * is sent, as a bad policy option fails at creation, instead of becoming a NaN timer or a
 * truthy string. Only the fields present are checked: most requests carry none.
 */
function invalidOverride(request: PolicyRequest): QuivoError | undefined {
  const { timeoutMs, retry, retryUnsafe, auth } = request;
  let problem: string | undefined;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs < Infinity)) {
    problem = `timeoutMs must be a finite number above 0, not ${describeValue(timeoutMs)}`;
  } else if (retry !== undefined && typeof retry !== 'boolean') problem = `retry must be a boolean, not ${describeValue(retry)}`;
  else if (retryUnsafe !== undefined && typeof retryUnsafe !== 'boolean') problem = `retryUnsafe must be a boolean, not ${describeValue(retryUnsafe)}`;
  else if (auth !== undefined && typeof auth !== 'boolean') problem = `auth must be a boolean, not ${describeValue(auth)}`;
  return problem === undefined ? undefined : invalidRequestOptions(problem, request);
}

function createTokenManager(options: ResolvedPolicyOptions, events: PolicyEvents): TokenManager | undefined {
  const login = options.login ?? (options.credentials && options.base ? builtInLogin({ base: options.base, apiKey: options.apiKey, credentials: options.credentials, fetch: options.fetch, now: () => options.clock.now() }) : undefined);
  if (!login) return undefined;
  return new TokenManager({
    login,
    clock: options.clock,
    tokenLifetimeMs: options.tokenLifetimeMs,
    refreshAheadMs: options.refreshAheadMs,
    timeoutMs: options.timeoutMs,
    maxElapsedMs: options.retry.maxElapsedMs,
    secrets: configuredSecrets(options),
    onRefresh: events.onRefresh,
  });
}

function configuredSecrets(options: ResolvedPolicyOptions): string[] {
  return [options.credentials?.password, options.apiKey].filter((s): s is string => typeof s === 'string');
}

/** What `policy.options` shows: the settings, never a secret. */
function publicSnapshot(input: QuivoPolicyOptions, resolved: ResolvedPolicyOptions): Readonly<QuivoPolicyOptions> {
  const { retry } = resolved;
  const snapshot: QuivoPolicyOptions = {
    timeoutMs: resolved.timeoutMs,
    tokenLifetimeMs: resolved.tokenLifetimeMs,
    refreshAheadMs: resolved.refreshAheadMs,
    retry: Object.freeze({ ...retry, budget: retry.budget && Object.freeze({ ...retry.budget }) }),
    rateLimit: resolved.rateLimit && rateLimitSnapshot(resolved.rateLimit),
  };
  if (input.baseURL !== undefined) snapshot.baseURL = input.baseURL;
  if (resolved.tokenScheme !== undefined) snapshot.tokenScheme = resolved.tokenScheme;
  return Object.freeze(snapshot);
}

function rateLimitSnapshot({ bottleneck, ...settings }: LimiterSettings): QuivoRateLimitOptions {
  return Object.freeze(bottleneck ? { ...settings, bottleneck } : settings);
}
