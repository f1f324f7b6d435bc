import type { SimulatorClock } from './clock.js';
import type { QuotaOptions, ThrottleOptions } from './options.js';

/** A token bucket: starts full with `burst` tokens, refills at `rate` per second. */
class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now: number,
  ) {
    this.#tokens = burst;
    this.#updatedAt = now;
  }

  tryTake(now: number): boolean {
    // A clock set backwards refills nothing rather than draining the bucket.
    const elapsedMs = Math.max(0, now - this.#updatedAt);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsedMs * this.rate) / 1000);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** A fixed-window counter; windows start at multiples of `windowMs` since the epoch. */
class QuotaWindow {
  #windowStart = Number.NaN;
  #used = 0;

  constructor(private readonly options: QuotaOptions) {}

  tryTake(now: number): boolean {
    const windowStart = now - (now % this.options.windowMs);
    if (windowStart !== this.#windowStart) {
      this.#windowStart = windowStart;
      this.#used = 0;
    }
    if (this.#used >= this.options.limit) return false;
    this.#used += 1;
    return true;
  }
}

export type UsagePlanVerdict = 'admitted' | 'throttled' | 'quota-exceeded';

/**
 * The usage plan of an API Gateway stage: a rate limit, then a quota, each per API key.
 * A throttled request does not use up quota.
 */
export class UsagePlan {
  readonly #buckets = new Map<string, TokenBucket>();
  readonly #quotas = new Map<string, QuotaWindow>();

  constructor(
    private readonly throttle: ThrottleOptions | null,
    private readonly quota: QuotaOptions | null,
    private readonly clock: SimulatorClock,
  ) {}

  admit(apiKey: string): UsagePlanVerdict {
    if (this.throttle === null && this.quota === null) return 'admitted';
    const now = this.clock.now();
    if (this.throttle !== null) {
      let bucket = this.#buckets.get(apiKey);
      if (bucket === undefined) {
        bucket = new TokenBucket(this.throttle.rate, this.throttle.burst, now);
        this.#buckets.set(apiKey, bucket);
      }
      if (!bucket.tryTake(now)) return 'throttled';
    }
    if (this.quota !== null) {
      let window = this.#quotas.get(apiKey);
      if (window === undefined) {
        window = new QuotaWindow(this.quota);
        this.#quotas.set(apiKey, window);
      }
      if (!window.tryTake(now)) return 'quota-exceeded';
    }
    return 'admitted';
  }
}
