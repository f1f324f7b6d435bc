/** A slot granted by a limiter; `release` it when the attempt is over. Releasing twice is harmless. */
export interface Permit {
  release(): void;
}

/** A change of the send rate after a throttled answer. */
export interface RateChange {
  readonly previousRate: number;
  readonly rate: number;
}

/** What the pipeline needs of a limiter, whichever implementation backs it. */
export interface RequestLimiter {
  /** A permit right now when nothing binds, or undefined when the caller must queue. */
  tryAcquire(): Permit | undefined;
  /** Waits for a permit; rejects with the signal's reason as soon as it aborts. */
  acquire(signal: AbortSignal): Promise<Permit>;
  /**
   * A THROTTLED answer to a request sent at `sentAt`: lower the rate (adaptive) and pause
   * briefly. A burst of 429s for requests sent before the last decrease lowers it only once.
   */
  onThrottled(sentAt: number): RateChange | undefined;
  /** A successful answer: raise the rate again (adaptive). */
  onSuccess(): void;
  /** Current sends per second; Infinity while unbounded. */
  readonly rate: number;
}
