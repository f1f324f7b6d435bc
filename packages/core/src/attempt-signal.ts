import type { QuivoClock } from './policy-types.js';

/** Why an attempt's signal fired. */
export type AttemptAbortCause = 'caller' | 'timeout';

/**
 * The signal of one attempt: it follows the request's own signal (caller abort, deadline) and
 * fires on the per-attempt timeout. Linked by hand rather than with `AbortSignal.any`, so
 * nothing stays attached to the caller's long-lived signal after the attempt.
 */
export class AttemptSignal {
  readonly #controller = new AbortController();
  readonly #parent: AbortSignal | undefined;
  readonly #clock: QuivoClock;
  readonly #timer: unknown;
  #cause: AttemptAbortCause | undefined;

  constructor(clock: QuivoClock, parent: AbortSignal | undefined, timeoutMs: number) {
    this.#clock = clock;
    this.#parent = parent;
    if (parent?.aborted) {
      this.#onParentAbort();
    } else {
      parent?.addEventListener('abort', this.#onParentAbort, { once: true });
    }
    this.#timer = clock.setTimeout(() => {
      this.#cause ??= 'timeout';
      this.#controller.abort(new DOMException(`attempt timed out after ${timeoutMs} ms`, 'TimeoutError'));
    }, Math.max(1, timeoutMs));
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Set once the signal has fired. */
  get cause(): AttemptAbortCause | undefined {
    return this.#cause;
  }

  dispose(): void {
    this.#clock.clearTimeout(this.#timer);
    this.#parent?.removeEventListener('abort', this.#onParentAbort);
  }

  readonly #onParentAbort = (): void => {
    this.#cause ??= 'caller';
    this.#controller.abort(this.#parent?.reason);
  };
}
