import type { QuivoClock } from './policy-types.js';

/**
 * One logical request's lifetime: it ends when the caller aborts or the overall deadline
 * passes. Its controller and deadline timer are made only when the request first has to
 * wait (limiter queue, login, backoff): a request that never waits costs neither. Attempts
 * need neither either: each attempt's own timer is cut to the time left.
 */
export class RequestScope {
  readonly deadline: number;
  readonly #clock: QuivoClock;
  readonly #caller: AbortSignal | undefined;
  #controller: AbortController | undefined;
  #deadlineTimer: unknown = undefined;
  #deadlinePassed = false;

  constructor(clock: QuivoClock, caller: AbortSignal | undefined, maxElapsedMs: number) {
    this.#clock = clock;
    this.#caller = caller;
    this.deadline = clock.now() + maxElapsedMs;
  }

  /** The caller's own signal, if any: attempts follow it directly. */
  get callerSignal(): AbortSignal | undefined {
    return this.#caller;
  }

  get endedBy(): 'caller' | 'deadline' | undefined {
    return this.endedAt(this.#clock.now());
  }

  /** `endedBy` at a time the caller has just read from the clock. */
  endedAt(now: number): 'caller' | 'deadline' | undefined {
    if (this.#caller?.aborted) return 'caller';
    return this.#deadlinePassed || this.remainingMs(now) <= 0 ? 'deadline' : undefined;
  }

  /** Why the scope ended, as the signal's reason. */
  get reason(): unknown {
    return this.#caller?.aborted ? this.#caller.reason : this.#controller?.signal.reason;
  }

  remainingMs(now = this.#clock.now()): number {
    return this.deadline - now;
  }

  /** The signal to wait on: it fires on the caller's abort and, from now on, the deadline. */
  waitSignal(): AbortSignal {
    if (this.#controller) return this.#controller.signal;
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#caller?.aborted) {
      controller.abort(this.#caller.reason);
      return controller.signal;
    }
    this.#caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
    this.#deadlineTimer = this.#clock.setTimeout(() => {
      this.#deadlinePassed = true;
      controller.abort(new DOMException('the request deadline passed', 'TimeoutError'));
    }, Math.max(0, this.remainingMs()));
    return controller.signal;
  }

  dispose(): void {
    if (this.#deadlineTimer !== undefined) this.#clock.clearTimeout(this.#deadlineTimer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  readonly #onCallerAbort = (): void => {
    this.#controller?.abort(this.#caller?.reason);
  };
}
