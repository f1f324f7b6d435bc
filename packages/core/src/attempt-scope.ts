import type { AttemptContext, AttemptResponse, QuivoClock } from './policy-types.js';

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
  #endSettle: ((reason: unknown) => void) | undefined;
  #disposed = false;
  #redirected = false;

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

  markRedirected(): void {
    this.#redirected = true;
  }

  /** True once the adapter reported a redirect that turned the request into a GET. */
  get redirected(): boolean {
    return this.#redirected;
  }

  /** Set once the signal has fired. */
  get cause(): AttemptAbortCause | undefined {
    return this.#cause;
  }

  /**
   * The adapter's attempt, ended by this attempt's signal even when the client ignores it: once
   * the signal has fired the client gets one turn of the event loop to settle on its own (with
   * its own abort error), and after that the attempt fails with the signal's reason. An answer
   * that comes after is freed. A client that never read the signal enforces its own timeout.
   */
  settle<T>(sending: Promise<AttemptResponse<T>>): Promise<AttemptResponse<T>> {
    if (this.#controller === undefined) return sending;
    const signal = this.#controller.signal;
    return new Promise((resolve, reject) => {
      let ended = false;
      this.#endSettle = (reason) => {
        this.#clock.setTimeout(() => {
          ended = true;
          reject(reason);
        }, 0);
      };
      if (signal.aborted) this.#endSettle(signal.reason);
      sending.then(
        (response) => (ended ? response.discard?.() : resolve(response)),
        (thrown: unknown) => reject(thrown),
      );
    });
  }

  /**
   * Ends the attempt: its timer stops and its link to the caller's signal goes. Kept until the
   * answer's body was read, that link would pile up on a long-lived signal (one listener per
   * request until garbage collection) and abort bodies the policy had already given up on.
   */
  dispose(): void {
    this.#disposed = true;
    this.#endSettle = undefined;
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
      this.#endSettle?.(caller?.reason);
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
      const reason = new DOMException(`attempt timed out after ${this.timeoutMs} ms`, 'TimeoutError');
      controller.abort(reason);
      this.#endSettle?.(reason);
    }, this.timeoutMs);
    return controller;
  }
}
