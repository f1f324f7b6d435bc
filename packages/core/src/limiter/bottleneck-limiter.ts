import type { Permit, RateChange, RequestLimiter } from './limiter-types.js';

/**
 * The part of a bottleneck instance we use. Structural, so core does not load bottleneck
 * unless the application does (it brings its own, usually with `datastore: 'ioredis'`).
 */
export interface BottleneckLike {
  schedule<R>(fn: () => PromiseLike<R>): Promise<R>;
  updateSettings(options: { minTime?: number | null }): unknown;
}

/**
 * Runs every attempt through a bottleneck limiter, so a fleet of app instances sharing one
 * Redis-clustered limiter stays under the usage plan together. A THROTTLED answer widens
 * bottleneck's `minTime` for the whole cluster; successes narrow it back to the configured
 * spacing.
 */
export class BottleneckLimiter implements RequestLimiter {
  readonly #bottleneck: BottleneckLike;
  readonly #baseMinTimeMs: number;
  readonly #adaptive: boolean;
  readonly #now: () => number;
  #minTimeMs: number;
  #lastThrottleAt = -Infinity;

  constructor(bottleneck: BottleneckLike, settings: { requestsPerSecond: number; adaptive: boolean }, now: () => number) {
    this.#bottleneck = bottleneck;
    this.#now = now;
    this.#baseMinTimeMs = settings.requestsPerSecond === Infinity ? 0 : 1000 / settings.requestsPerSecond;
    this.#minTimeMs = this.#baseMinTimeMs;
    this.#adaptive = settings.adaptive;
  }

  get rate(): number {
    return this.#minTimeMs === 0 ? Infinity : 1000 / this.#minTimeMs;
  }

  tryAcquire(): Permit | undefined {
    return undefined;
  }

  acquire(signal: AbortSignal): Promise<Permit> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      let settled = false;
      const onAbort = (): void => {
        settled = true;
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // The job holds its bottleneck slot until the attempt releases the permit. A caller that
      // gave up while queued gets its slot released the moment bottleneck starts the job.
      void this.#bottleneck
        .schedule(
          () =>
            new Promise<void>((release) => {
              signal.removeEventListener('abort', onAbort);
              if (settled) return release();
              settled = true;
              let released = false;
              resolve({
                release: () => {
                  if (released) return;
                  released = true;
                  release();
                },
              });
            }),
        )
        .catch((error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          if (settled) return;
          settled = true;
          reject(error);
        });
    });
  }

  onThrottled(sentAt: number): RateChange | undefined {
    if (!this.#adaptive || sentAt < this.#lastThrottleAt) return undefined;
    this.#lastThrottleAt = this.#now();
    const previousRate = this.rate;
    this.#minTimeMs = Math.min(2000, Math.max(this.#minTimeMs * 1.5, 10));
    this.#bottleneck.updateSettings({ minTime: this.#minTimeMs });
    return { previousRate, rate: this.rate };
  }

  onSuccess(): void {
    if (!this.#adaptive || this.#minTimeMs <= this.#baseMinTimeMs) return;
    const next = Math.max(this.#baseMinTimeMs, this.#minTimeMs * 0.98);
    this.#minTimeMs = next - this.#baseMinTimeMs < 0.5 ? this.#baseMinTimeMs : next;
    this.#bottleneck.updateSettings({ minTime: this.#minTimeMs });
  }
}
