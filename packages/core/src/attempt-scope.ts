import type { AttemptContext, QuivoClock } from './policy-types.js';

/** Why an attempt's signal fired. */
export type AttemptAbortCause = 'caller' | 'timeout';

/**
 * One attempt: the context its adapter gets, and the attempt's signal. The signal follows the
 * request's own signal (caller abort) and fires on the per-attempt timeout, which is already
 * cut to the request's deadline. It is made when an adapter first reads it: a client that
 * enforces `timeoutMs` itself and takes the caller's signal directly (axios's http adapter)
 * then costs no AbortController, no timer and no listener, which is most of what a signal
 * costs the client that receives it. Linked by hand rather than with `AbortSignal.any`, so
 * nothing stays attached to the caller's long-lived signal after the attempt.
 */
export class AttemptScope implements AttemptContext {
  readonly attempt: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly callerSignal: AbortSignal | undefined;
  readonly #clock: QuivoClock;
  #controller: AbortController | undefined;
  #timer: unknown = undefined;
  #cause: AttemptAbortCause | undefined;
  #onCallerAbort: (() => void) | undefined;
  #disposed = false;

  constructor(clock: QuivoClock, attempt: number, headers: Readonly<Record<string, string>>, callerSignal: AbortSignal | undefined, timeoutMs: number) {
    this.#clock = clock;
    this.attempt = attempt;
    this.headers = headers;
    this.callerSignal = callerSignal;
    // Whole milliseconds, at least one: clients round a timeout down, and 0 means "none" to them.
    this.timeoutMs = Math.max(1, Math.ceil(timeoutMs));
  }

  get signal(): AbortSignal {
    return (this.#controller ??= this.#arm()).signal;
  }

  /** True once an adapter has read `signal`; until then the adapter enforces the timeout. */
  get armed(): boolean {
    return this.#controller !== undefined;
  }

  /** Set once the signal has fired. */
  get cause(): AttemptAbortCause | undefined {
    return this.#cause;
  }

  dispose(): void {
    this.#disposed = true;
    if (this.#controller === undefined) return;
    this.#clock.clearTimeout(this.#timer);
    if (this.#onCallerAbort) this.callerSignal?.removeEventListener('abort', this.#onCallerAbort);
  }

  #arm(): AbortController {
    const controller = new AbortController();
    const caller = this.callerSignal;
    const onCallerAbort = (): void => {
      this.#cause ??= 'caller';
      controller.abort(caller?.reason);
    };
    if (caller?.aborted) {
      onCallerAbort();
      return controller;
    }
    // Read after the attempt ended: nothing is left to time out, and nothing may stay armed.
    if (this.#disposed) return controller;
    if (caller) {
      this.#onCallerAbort = onCallerAbort;
      caller.addEventListener('abort', onCallerAbort, { once: true });
    }
    this.#timer = this.#clock.setTimeout(() => {
      this.#cause ??= 'timeout';
      controller.abort(new DOMException(`attempt timed out after ${this.timeoutMs} ms`, 'TimeoutError'));
    }, this.timeoutMs);
    return controller;
  }
}
