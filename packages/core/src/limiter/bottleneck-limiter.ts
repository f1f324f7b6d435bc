import type { Permit, RateChange, RequestLimiter } from './limiter-types.js';

/**
 * The part of a bottleneck instance we use. Structural, so core does not load bottleneck
 * unless the application does (it brings its own, usually with `datastore: 'ioredis'`).
 */
export interface BottleneckLike {
  schedule<R>(fn: () => PromiseLike<R>): Promise<R>;
  updateSettings(options: { minTime?: number | null }): unknown;
}

/** The widest spacing a run of 429s can set: 0.5 requests a second. */
const MAX_MIN_TIME_MS = 2000;
/** A narrowing is written to the cluster once it has moved the spacing this share from the last write. */
const WRITE_STEP = 0.1;

/**
 * Runs every attempt through a bottleneck limiter, so a fleet of app instances sharing one
 * Redis-clustered limiter stays under the usage plan together. With a `requestsPerSecond`
 * (the fleet's rate, which the instance's `minTime` should match), a THROTTLED answer widens
 * bottleneck's `minTime` for the whole cluster and successes narrow it back to that rate's
 * spacing, never below. Without one, the instance's own settings are the application's and
 * are left as they are: there is no spacing of ours to come back to.
 */
export class BottleneckLimiter implements RequestLimiter {
  readonly #bottleneck: BottleneckLike;
  /** The configured rate's spacing; undefined when no rate was configured. */
  readonly #baseMinTimeMs: number | undefined;
  readonly #adaptive: boolean;
  readonly #now: () => number;
  #minTimeMs: number;
  /** The spacing last written to the cluster. */
  #writtenMinTimeMs: number;
  #lastThrottleAt = -Infinity;

  constructor(bottleneck: BottleneckLike, settings: { requestsPerSecond: number; adaptive: boolean }, now: () => number) {
    this.#bottleneck = bottleneck;
    this.#now = now;
    const configured = Number.isFinite(settings.requestsPerSecond);
    this.#baseMinTimeMs = configured ? 1000 / settings.requestsPerSecond : undefined;
    this.#minTimeMs = this.#baseMinTimeMs ?? 0;
    this.#writtenMinTimeMs = this.#minTimeMs;
    this.#adaptive = settings.adaptive && configured;
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
    this.#minTimeMs = Math.min(MAX_MIN_TIME_MS, Math.max(this.#minTimeMs * 1.5, 10));
    this.#write();
    return { previousRate, rate: this.rate };
  }

  onSuccess(): void {
    const base = this.#baseMinTimeMs;
    if (!this.#adaptive || base === undefined || this.#minTimeMs <= base) return;
    const next = Math.max(base, this.#minTimeMs * 0.98);
    this.#minTimeMs = next - base < 0.5 ? base : next;
    // One cluster write per success would be a Redis round trip per request while narrowing.
    if (this.#minTimeMs === base || this.#writtenMinTimeMs - this.#minTimeMs >= WRITE_STEP * this.#writtenMinTimeMs) this.#write();
  }

  #write(): void {
    this.#writtenMinTimeMs = this.#minTimeMs;
    // A datastore that cannot take the write (Redis down) fails the next schedule() as well,
    // and that request gets the error; this write must not become an unhandled rejection.
    const minTime = this.#minTimeMs;
    Promise.resolve()
      .then(() => this.#bottleneck.updateSettings({ minTime }))
      .catch(() => {});
  }
}
