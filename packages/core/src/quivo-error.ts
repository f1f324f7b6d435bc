import { summariseCause, type QuivoErrorCauseSummary } from './cause-summary.js';
import { collectSecrets } from './collect-secrets.js';
import { defaultMessage } from './error-message.js';
import { defaultOutcome, defaultRetryable, defaultSource, defaultTransient } from './error-traits.js';
import type { AttemptRecord, QuivoErrorCode, QuivoErrorSource, QuivoOutcome } from './error-types.js';
import type { QuivoErrorInit, QuivoErrorJSON } from './quivo-error-init.js';
import { normalizeMethod } from './http-methods.js';
import { LIMITS } from './limits.js';
import { createRedactor, type Redactor } from './redact.js';
import { redactBody } from './redact-body.js';
import { redactUrl } from './redact-url.js';
import { readProp, readString } from './safe-read.js';

export type { QuivoErrorCauseSummary } from './cause-summary.js';
export type { QuivoErrorInit, QuivoErrorJSON } from './quivo-error-init.js';

// Global symbols: a second copy of the package (ESM and CJS side by side) sees the same keys.
const MARKER = Symbol.for('quivo-resilience.error');
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

// Scrubbed cause summaries, kept off the instance so nothing but toJSON/inspect reads them.
const causeSummaries = new WeakMap<object, QuivoErrorCauseSummary>();

/** Every failure of a Quivo client: a stable `code`, who caused it, and whether a retry may help. */
export class QuivoError extends Error {
  override readonly name = 'QuivoError' as const;
  readonly code: QuivoErrorCode;
  declare readonly status?: number;
  readonly source: QuivoErrorSource;
  /** A retry may succeed and is safe by default for this error's method. */
  readonly retryable: boolean;
  /** The condition may clear by itself, whatever the method. */
  readonly transient: boolean;
  readonly outcome: QuivoOutcome;
  /** `x-amzn-RequestId`, else `apigw-requestid`. */
  declare readonly requestId?: string;
  /** `x-amzn-ErrorType` as the AWS SDKs read it, e.g. `UnauthorizedException`. */
  declare readonly gatewayErrorType?: string;
  declare readonly method?: string;
  declare readonly url?: string;
  readonly attempts: number;
  readonly trail: readonly AttemptRecord[];
  declare readonly body?: unknown;
  /** The client's own error (AxiosError, fetch's TypeError...), untouched. */
  declare readonly cause?: unknown;

  constructor(init: QuivoErrorInit) {
    // Credentials in the url or body given here are scrubbed from the message and cause too.
    const found = collectSecrets({ headers: [], urls: [init.url], bodies: [init.body], values: init.secrets ?? [] });
    const redactor = createRedactor(found);
    const status = typeof init.status === 'number' && Number.isInteger(init.status) ? init.status : undefined;
    const text = typeof init.message === 'string' ? redactor.scrubCapped(init.message.trim(), LIMITS.message) : '';
    super(text === '' ? defaultMessage(init.code, status) : text, init.cause === undefined ? undefined : { cause: init.cause });
    const method = normalizeMethod(init.method);
    this.code = init.code;
    this.source = init.source ?? defaultSource({ code: init.code, status });
    const traits = { code: init.code, status, source: this.source, method };
    this.transient = init.transient ?? defaultTransient(traits);
    this.outcome = init.outcome ?? defaultOutcome(traits);
    this.retryable = init.retryable ?? defaultRetryable({ ...traits, transient: this.transient, outcome: this.outcome });
    this.attempts = typeof init.attempts === 'number' && Number.isInteger(init.attempts) && init.attempts > 0 ? init.attempts : 1;
    this.trail = Object.freeze([...(init.trail ?? [])]);
    if (status !== undefined) this.status = status;
    if (method !== undefined) this.method = method;
    assignText(this, 'requestId', init.requestId, redactor);
    assignText(this, 'gatewayErrorType', init.gatewayErrorType, redactor);
    const url = typeof init.url === 'string' ? init.url : readString(init.url, 'href');
    if (url !== undefined && url !== '') this.url = redactor.scrubCapped(redactUrl(url), LIMITS.url);
    const body = redactBody(init.body, redactor);
    if (body !== undefined) this.body = body;
    if (init.cause !== undefined) causeSummaries.set(this, summariseCause(init.cause, redactor));
  }

  /** A copy with the policy's count of attempts and what happened on each; same fields, same cause. */
  withAttempts(attempts: number, trail: readonly AttemptRecord[]): QuivoError {
    return copyQuivoError(this, { attempts, trail });
  }

  /**
   * A copy whose `cause` is the client's own error (an adapter's `AxiosError`, say), so code
   * reading `err.cause.response` keeps working. `secrets` are scrubbed from the cause's summary.
   */
  withCause(cause: unknown, secrets?: readonly string[]): QuivoError {
    return copyQuivoError(this, { cause, secrets });
  }

  /** The fields that are safe to log; the cause only as `{ name, message, code? }`. */
  toJSON(): QuivoErrorJSON {
    const json: QuivoErrorJSON = {
      name: this.name,
      code: this.code,
      message: this.message,
      source: this.source,
      retryable: this.retryable,
      transient: this.transient,
      outcome: this.outcome,
      attempts: this.attempts,
      trail: this.trail,
    };
    if (this.status !== undefined) json.status = this.status;
    if (this.requestId !== undefined) json.requestId = this.requestId;
    if (this.gatewayErrorType !== undefined) json.gatewayErrorType = this.gatewayErrorType;
    if (this.method !== undefined) json.method = this.method;
    if (this.url !== undefined) json.url = this.url;
    if (this.body !== undefined) json.body = this.body;
    const cause = causeSummaries.get(this);
    if (cause !== undefined) json.cause = cause;
    return json;
  }

  /** Node's `util.inspect` (and so `console.log`) shows the stack and the safe fields, never the cause's internals. */
  [INSPECT](depth: number, options: { depth?: number | null } | undefined, inspect?: (value: unknown, options?: object) => string): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    const head = typeof this.stack === 'string' && this.stack !== '' ? this.stack : `${this.name}: ${this.message}`;
    if (depth < 0 || typeof inspect !== 'function') return head;
    const nested = options?.depth === null || options?.depth === undefined ? options?.depth : options.depth - 1;
    return `${head} ${inspect(fields, { ...options, depth: nested })}`;
  }

  /** `instanceof QuivoError` also holds for errors made by another copy of this package. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== QuivoError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return isQuivoError(value);
  }
}

Object.defineProperty(QuivoError.prototype, MARKER, { value: true });

function assignText(error: QuivoError, key: 'requestId' | 'gatewayErrorType', value: unknown, redactor: Redactor): void {
  if (typeof value !== 'string' || value.trim() === '') return;
  (error as { -readonly [K in typeof key]?: string })[key] = redactor.scrubCapped(value.trim(), LIMITS.token);
}

/** True for a `QuivoError`, including one made by a second copy of this package (a global marker, not only the class). */
export function isQuivoError(value: unknown): value is QuivoError {
  return typeof value === 'object' && value !== null && readProp(value, MARKER) === true;
}

/** A copy of `error` with some request facts changed; the scrubbed cause summary and the stack carry over. */
export function copyQuivoError(
  error: QuivoError,
  changes: Partial<Pick<QuivoErrorInit, 'attempts' | 'trail' | 'method' | 'url' | 'message' | 'secrets' | 'cause'>>,
): QuivoError {
  const newCause = 'cause' in changes;
  const copy = new QuivoError({
    code: error.code,
    message: changes.message ?? error.message,
    source: error.source,
    status: error.status,
    // A method learnt only now may make the error retryable: derive it again.
    retryable: changes.method !== undefined && error.method === undefined ? undefined : error.retryable,
    transient: error.transient,
    outcome: error.outcome,
    requestId: error.requestId,
    gatewayErrorType: error.gatewayErrorType,
    method: changes.method ?? error.method,
    url: changes.url ?? error.url,
    attempts: changes.attempts ?? error.attempts,
    trail: changes.trail ?? error.trail,
    body: error.body,
    cause: newCause ? changes.cause : error.cause,
    secrets: changes.secrets,
  });
  const summary = causeSummaries.get(error);
  if (summary !== undefined && !newCause) causeSummaries.set(copy, summary);
  if (typeof error.stack === 'string') copy.stack = error.stack.replace(`${error.name}: ${error.message}`, `${copy.name}: ${copy.message}`);
  return copy;
}
