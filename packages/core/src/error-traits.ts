import type { QuivoErrorCode, QuivoErrorSource, QuivoOutcome } from './error-types.js';
import { isIdempotentMethod } from './http-methods.js';

/** The status each HTTP code stands for, so an error built without a status still gets its traits right. */
const CODE_STATUS: Partial<Record<QuivoErrorCode, number>> = {
  BAD_REQUEST: 400,
  TOKEN_EXPIRED: 401,
  UNAUTHORIZED: 401,
  INVALID_API_KEY: 403,
  ACCESS_DENIED: 403,
  ROUTE_NOT_FOUND: 403,
  EXPIRED_SIGNATURE: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  REQUEST_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
  INTERNAL: 500,
  NOT_IMPLEMENTED: 501,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  INTEGRATION_TIMEOUT: 504,
};

const CLIENT_CODES: ReadonlySet<QuivoErrorCode> = new Set(['TIMEOUT', 'ABORTED', 'AUTH_FAILED', 'NOT_REPLAYABLE', 'INVALID_OPTIONS', 'LIMITER_FAILED']);
const TRANSIENT_CODES: ReadonlySet<QuivoErrorCode> = new Set(['THROTTLED', 'INTERNAL', 'BAD_GATEWAY', 'SERVICE_UNAVAILABLE', 'INTEGRATION_TIMEOUT', 'NETWORK', 'TIMEOUT', 'LIMITER_FAILED']);

/** The traits an error gets when whoever builds it does not say. */
export interface ErrorTraitsInput {
  readonly code: QuivoErrorCode;
  readonly status?: number | undefined;
  readonly source?: QuivoErrorSource | undefined;
  readonly method?: string | undefined;
}

export function defaultSource({ code, status }: ErrorTraitsInput): QuivoErrorSource {
  if (code === 'NETWORK') return 'network';
  if (CLIENT_CODES.has(code)) return 'client';
  return status !== undefined || CODE_STATUS[code] !== undefined ? 'backend' : 'client';
}

/**
 * What is known of the request's effect. A 4xx that API Gateway wrote never reached the
 * backend (`not-executed`); one the backend wrote is its refusal (`failed`). 408 and 425 say
 * the server did not process the request. 5xx, timeouts and broken connections are `unknown`.
 */
export function defaultOutcome(input: ErrorTraitsInput): QuivoOutcome {
  const { code } = input;
  if (code === 'THROTTLED' || code === 'QUOTA_EXCEEDED' || code === 'AUTH_FAILED' || code === 'INVALID_OPTIONS' || code === 'LIMITER_FAILED') return 'not-executed';
  if (code === 'NETWORK' || CLIENT_CODES.has(code)) return 'unknown';
  const status = input.status ?? CODE_STATUS[code];
  if (status === 408 || status === 425) return 'not-executed';
  if (status === undefined || status < 400 || (status >= 500 && status !== 501)) return 'unknown';
  return (input.source ?? defaultSource(input)) === 'gateway' ? 'not-executed' : 'failed';
}

/** Whether the condition may clear by itself: throttling, 5xx (but 501 and 505), 408, 425, network errors, timeouts. */
export function defaultTransient(input: ErrorTraitsInput): boolean {
  if (TRANSIENT_CODES.has(input.code)) return true;
  if (input.code !== 'HTTP_ERROR' || input.status === undefined) return false;
  const { status } = input;
  return status === 408 || status === 425 || (status >= 500 && status < 600 && status !== 501 && status !== 505);
}

/**
 * Whether retrying may succeed and is safe by default for this method: transient, and either
 * the request never ran (THROTTLED, refused connection, DNS failure) or the method is
 * idempotent. No 4xx but THROTTLED is retryable; 401s are the policy's to refresh.
 */
export function defaultRetryable(input: ErrorTraitsInput & { readonly transient: boolean; readonly outcome: QuivoOutcome }): boolean {
  if (!input.transient) return false;
  if (input.code === 'THROTTLED') return true;
  const status = input.status ?? CODE_STATUS[input.code];
  if (status !== undefined && status >= 400 && status < 500) return false;
  return input.outcome === 'not-executed' || isIdempotentMethod(input.method);
}
