import type { QuivoClock } from '../policy-types.js';
import { cubicOnSuccess, cubicOnThrottle, defaultCubicSettings, type CubicSettings, type CubicState } from './cubic-rate.js';
import type { Permit, RateChange, RequestLimiter } from './limiter-types.js';
import { SendRateMeter } from './send-rate-meter.js';

export interface LocalLimiterSettings {
  /** Sustained rate; Infinity until the adaptive controller learns one. */
  requestsPerSecond: number;
  burst: number;
  maxConcurrent: number;
  adaptive: boolean;
}

/**
 * At a configured rate, 429s for fewer than this share of the last second's sends are timing
 * jitter between our bucket and the gateway's (each 429 pauses until the next token); more
 * mean the real limit is lower, or shared, and the rate comes down.
 */
const SPORADIC_THROTTLE_SHARE = 0.02;

interface Waiter {
  grant(permit: Permit): void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * A token bucket, a concurrency cap and a FIFO queue, in process. A request that finds a
 * token and a free slot takes them synchronously: no timer, no promise. Only a binding limit
 * costs a timer, and then one timer serves the whole queue. (bottleneck's local scheduler
 * spends several 1 ms timer hops on every job, which is why it is used only for its
 * Redis-clustered mode; see the core README.)
 */
export class LocalLimiter implements RequestLimiter {
  readonly #clock: QuivoClock;
  readonly #settings: LocalLimiterSettings;
  readonly #cubic: CubicSettings;
  readonly #meter = new SendRateMeter();
  readonly #throttles = new SendRateMeter();
  readonly #queue: Waiter[] = [];
  #rate: number;
  #tokens: number;
  #refilledAt: number;
  #inFlight = 0;
  #timer: unknown = undefined;
  #cubicState: CubicState | undefined;
  #lonePauseAt = -Infinity;

  constructor(clock: QuivoClock, settings: LocalLimiterSettings) {
    this.#clock = clock;
    this.#settings = settings;
    const configured = Number.isFinite(settings.requestsPerSecond);
    this.#cubic = {
      ...defaultCubicSettings,
      // With a configured ceiling the curve is scaled to it, so the rate is back at the
      // ceiling a second after a decrease; AWS's constants suit a rate still being learnt.
      ...(configured ? { scale: settings.requestsPerSecond * (1 - defaultCubicSettings.beta) } : {}),
      maxRate: settings.requestsPerSecond,
    };
    this.#rate = settings.requestsPerSecond;
    this.#tokens = settings.burst;
    this.#refilledAt = clock.now();
  }

  get rate(): number {
    return this.#rate;
  }

  tryAcquire(): Permit | undefined {
    if (this.#queue.length > 0 || !this.#canSendNow()) return undefined;
    return this.#grant();
  }

  acquire(signal: AbortSignal): Promise<Permit> {
    const permit = this.tryAcquire();
    if (permit) return Promise.resolve(permit);
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(waiter);
          if (index >= 0) this.#queue.splice(index, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  onThrottled(sentAt: number): RateChange | undefined {
    if (!this.#settings.adaptive) return undefined;
    const now = this.#clock.now();
    this.#throttles.record(now);
    // As TCP reacts once per round trip: the other 429s of the burst that was already in
    // flight say nothing about the new, lower rate.
    if (this.#cubicState && sentAt < this.#cubicState.lastThrottleAt) return undefined;
    const previousRate = this.#rate;
    // At a rate the application configured, a lone 429, or a few among many sends, is timing
    // jitter between our bucket and the gateway's: pause until the next token, and lower the
    // rate only when they become frequent. A 429 for a request sent before that pause belongs
    // to the same moment: nothing new.
    if (sentAt <= this.#lonePauseAt) return undefined;
    if (Number.isFinite(previousRate) && previousRate === this.#settings.requestsPerSecond && (now - this.#lonePauseAt > 1000 || this.#sporadic(now))) {
      this.#lonePauseAt = now;
      this.#refill();
      this.#tokens = Math.min(this.#tokens, 0);
      return undefined;
    }
    // With a queue waiting, we are sending as fast as the bucket allows: that is the rate to cut.
    const sending = this.#queue.length > 0 && Number.isFinite(previousRate) ? previousRate : Math.min(this.#meter.rate(now), previousRate);
    const { state, rate } = cubicOnThrottle(this.#cubic, sending, now);
    this.#cubicState = state;
    this.#setRate(rate);
    // The server has just said "too many": stop sending until the next token is due.
    this.#tokens = Math.min(this.#tokens, 0);
    return { previousRate, rate };
  }

  /** True while 429s are a small share of what we sent over the last second. */
  #sporadic(now: number): boolean {
    return this.#throttles.count(now) < SPORADIC_THROTTLE_SHARE * this.#meter.count(now);
  }

  onSuccess(): void {
    if (!this.#settings.adaptive || !this.#cubicState) return;
    const now = this.#clock.now();
    this.#setRate(cubicOnSuccess(this.#cubic, this.#cubicState, this.#meter.rate(now), now));
  }

  #setRate(rate: number): void {
    this.#refill();
    const raised = rate > this.#rate;
    this.#rate = rate;
    this.#tokens = Math.min(this.#tokens, this.#capacity());
    // A timer set for the old, lower rate would hold the queue too long.
    if (raised && this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#schedule();
    }
  }

  #capacity(): number {
    // While the rate is learned, a burst larger than a tenth of a second of sending would
    // undo the decrease at once.
    if (this.#cubicState === undefined) return this.#settings.burst;
    return Math.max(1, Math.min(this.#settings.burst, this.#rate / 10));
  }

  #refill(): void {
    const now = this.#clock.now();
    if (this.#rate !== Infinity) {
      this.#tokens = Math.min(this.#capacity(), this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000);
    }
    this.#refilledAt = now;
  }

  #canSendNow(): boolean {
    if (this.#inFlight >= this.#settings.maxConcurrent) return false;
    if (this.#rate === Infinity) return true;
    this.#refill();
    return this.#tokens >= 1;
  }

  #grant(): Permit {
    if (this.#rate !== Infinity) this.#tokens -= 1;
    this.#inFlight += 1;
    if (this.#settings.adaptive) this.#meter.record(this.#clock.now());
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight -= 1;
        if (this.#queue.length > 0) this.#drain();
      },
    };
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#canSendNow()) {
      const waiter = this.#queue.shift()!;
      waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.grant(this.#grant());
    }
    this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    // Waiting on concurrency needs no timer: a release drains the queue.
    if (this.#inFlight >= this.#settings.maxConcurrent || this.#rate === Infinity) return;
    const waitMs = Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.#rate));
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, waitMs);
  }
}
