import type { QuivoClock } from './policy-types.js';

/**
 * One logical request's lifetime: it ends when the caller aborts or the overall deadline
 * passes. The deadline timer is armed only when the request first has to wait (limiter
 * queue, login, backoff), so a request that never waits costs no timer.
 */
export class RequestScope {
  readonly deadline: number;
  readonly #controller = new AbortController();
  readonly #clock: QuivoClock;
  readonly #caller: AbortSignal | undefined;
  #deadlineTimer: unknown = undefined;
  #endedBy: 'caller' | 'deadline' | undefined;

  constructor(clock: QuivoClock, caller: AbortSignal | undefined, maxElapsedMs: number) {
    this.#clock = clock;
    this.#caller = caller;
    this.deadline = clock.now() + maxElapsedMs;
    if (caller?.aborted) this.#onCallerAbort();
    else caller?.addEventListener('abort', this.#onCallerAbort, { once: true });
  }

  /** Aborted on caller abort or, once a wait armed it, on the deadline. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get endedBy(): 'caller' | 'deadline' | undefined {
    return this.#endedBy;
  }

  remainingMs(): number {
    return this.deadline - this.#clock.now();
  }

  /** The signal to wait on: the deadline is enforced from now on. */
  waitSignal(): AbortSignal {
    if (this.#deadlineTimer === undefined && !this.#controller.signal.aborted) {
      this.#deadlineTimer = this.#clock.setTimeout(() => {
        this.#endedBy ??= 'deadline';
        this.#controller.abort(new DOMException('the request deadline passed', 'TimeoutError'));
      }, Math.max(0, this.remainingMs()));
    }
    return this.#controller.signal;
  }

  dispose(): void {
    if (this.#deadlineTimer !== undefined) this.#clock.clearTimeout(this.#deadlineTimer);
    this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }

  readonly #onCallerAbort = (): void => {
    this.#endedBy ??= 'caller';
    this.#controller.abort(this.#caller?.reason);
  };
}
