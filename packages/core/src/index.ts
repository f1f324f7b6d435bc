export { createQuivoPolicy, isQuivoPolicy } from './create-quivo-policy.js';
export { QuivoError, isQuivoError } from './quivo-error.js';
export { toQuivoError } from './to-quivo-error.js';
export type { QuivoErrorCauseSummary, QuivoErrorInit, QuivoErrorJSON } from './quivo-error.js';
export { isIdempotentMethod } from './http-methods.js';
export { fullJitterDelay, parseRetryAfter } from './backoff.js';
export { raceAbort } from './abortable-sleep.js';
export { POLICY_DEFAULTS } from './options.js';
export type { AttemptRecord, HeadersLike, QuivoErrorCode, QuivoErrorInput, QuivoErrorSource, QuivoOutcome } from './error-types.js';
export type { BottleneckLike } from './limiter/bottleneck-limiter.js';
export type {
  AttemptContext,
  AttemptResponse,
  Disposer,
  ExecuteResult,
  GiveUpEvent,
  LoginResult,
  PolicyRequest,
  QuivoClock,
  QuivoPolicy,
  QuivoPolicyOptions,
  QuivoRateLimitOptions,
  QuivoRequestOverrides,
  QuivoRetryOptions,
  RefreshEvent,
  RetryEvent,
  SendAttempt,
  ThrottleEvent,
} from './policy-types.js';
export { isRedirectStatus, MANUAL_REDIRECTS_VISIBLE, redirectStep } from './redirect-step.js';
export type { RedirectHop, RedirectRefusal, RedirectStatus, RedirectStep, RedirectStepInput } from './redirect-step.js';
export { fetchUnderWrapper, markFetchWrapper } from './fetch-wrapper-mark.js';
