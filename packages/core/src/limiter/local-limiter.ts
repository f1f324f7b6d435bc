import type { QuivoClock } from '../policy-types.js';
import { cubicOnSuccess, cubicOnThrottle, cubicPlateau, defaultCubicSettings, type CubicSettings, type CubicState } from './cubic-rate.js';
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
 * At a configured rate, 429s for fewer than this share of the last second's sends (or of the
 * rate, when fewer were sent) are timing jitter between our bucket and the gateway's (each
 * 429 pauses until the next token); more mean the real limit is lower, or shared, and the
 * rate comes down.
 */
const SPORADIC_THROTTLE_SHARE = 0.02;

/**
 * While the rate is unknown (adaptive, none configured), at most this many requests are in
 * flight at first, and each success allows one more, doubling them every round trip until
 * the first 429 (TCP's slow start, with its initial window of 10). A cold start then never
 * sends a whole concurrency's worth of requests into a gateway bucket it knows nothing about;
 * a client that is never throttled is past it after a few dozen requests.
 */
const INITIAL_WINDOW = 10;
/** Slow start ends without a 429 once this many may be in flight. */
const SLOW_START_END = 1024;
/**
 * The rate measured when slow start meets its first 429 is what the round trips allowed, not
 * what the gateway takes, and can be far below it. So the rate then doubles every this many
 * ms while requests queue behind it, until a 429 for a request sent after a doubling.
 */
const PROBE_STEP_MS = 50;

/**
 * Runs `fn` once this turn of the event loop has done its I/O: the requests granted during the
 * turn have then been written. Read at call time, so fake timers installed later still apply.
 */
function afterThisTurn(fn: () => void): void {
  if (typeof globalThis.setImmediate === 'function') globalThis.setImmediate(fn);
  else globalThis.setTimeout(fn, 0);
}

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
  /** Requests allowed in flight: `maxConcurrent`, or fewer during slow start. */
  #concurrency: number;
  #slowStart: boolean;
  /** After slow start: when the rate last doubled, and how often it has; undefined once probed. */
  #probe: { at: number; doublings: number } | undefined;
  #timer: unknown = undefined;
  #cubicState: CubicState | undefined;
  #lonePauseAt = -Infinity;
  /** Tokens granted in this turn of the event loop, whose requests have not gone out yet. */
  #unsent = 0;
  readonly #sent = (): void => {
    // They went out just now (the turn's I/O is done): only from here can they be counted.
    this.#refill();
    this.#unsent = 0;
  };

  constructor(clock: QuivoClock, settings: LocalLimiterSettings) {
    this.#clock = clock;
    this.#settings = settings;
    const configured = Number.isFinite(settings.requestsPerSecond);
    this.#cubic = {
      ...defaultCubicSettings,
      // Back at the throttled rate a second after a decrease, at 20/s or at 2000/s: AWS's
      // fixed steepness suits the few requests a second of an SDK client, and would hold a
      // Quivo client that was cut from 500/s near 350/s for seven seconds.
      recoverySeconds: 1,
      maxRate: settings.requestsPerSecond,
    };
    this.#rate = settings.requestsPerSecond;
    this.#slowStart = settings.adaptive && !configured && settings.maxConcurrent > INITIAL_WINDOW;
    this.#concurrency = this.#slowStart ? INITIAL_WINDOW : settings.maxConcurrent;
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
    const endsSlowStart = this.#slowStart;
    // The gateway has a limit after all: from now on a rate paces requests.
    if (endsSlowStart) this.#endSlowStart();
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
    // A 429 for a request sent after a doubling means the probe has found the gateway's rate;
    // an earlier one (the slow start's burst still draining the gateway's bucket) only cuts,
    // and the probe goes on from the lower rate.
    if (endsSlowStart) this.#probe = { at: now, doublings: 0 };
    else if (this.#probe) this.#probe = this.#probe.doublings > 0 && sentAt >= this.#probe.at ? undefined : { at: now, doublings: 0 };
    this.#setRate(rate);
    // The server has just said "too many": stop sending until the next token is due.
    this.#tokens = Math.min(this.#tokens, 0);
    return { previousRate, rate };
  }

  /**
   * True while the last second's 429s are a small share of what we sent in it, or of the
   * configured rate when we sent less (just after a quiet spell a few sends are no sample).
   */
  #sporadic(now: number): boolean {
    const sent = Math.max(this.#meter.count(now), this.#settings.requestsPerSecond);
    return this.#throttles.count(now) < SPORADIC_THROTTLE_SHARE * sent;
  }

  onSuccess(): void {
    if (this.#slowStart) {
      this.#concurrency += 1;
      if (this.#concurrency >= Math.min(this.#settings.maxConcurrent, SLOW_START_END)) this.#endSlowStart();
      if (this.#queue.length > 0) this.#drain();
      return;
    }
    if (!this.#settings.adaptive || !this.#cubicState) return;
    const now = this.#clock.now();
    if (this.#probe) return this.#probeUp(now, this.#probe);
    this.#setRate(cubicOnSuccess(this.#cubic, this.#cubicState, this.#rate, this.#meter.rate(now), now));
  }

  #endSlowStart(): void {
    this.#slowStart = false;
    this.#concurrency = this.#settings.maxConcurrent;
  }

  /** Doubles the rate each step while requests queue behind it; a step without a queue ends the probe. */
  #probeUp(now: number, probe: { at: number; doublings: number }): void {
    if (now - probe.at < PROBE_STEP_MS) return;
    if (this.#queue.length === 0) {
      // The rate no longer binds: the curve goes on from here, not from the 429 before.
      this.#probe = undefined;
      this.#cubicState = cubicPlateau(this.#cubic, this.#rate, now);
      return;
    }
    this.#probe = { at: now, doublings: probe.doublings + 1 };
    this.#setRate(Math.min(this.#cubic.maxRate, this.#rate * 2));
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
      const capacity = this.#capacity();
      // The gateway's bucket, too, holds at most `burst`, and it has not yet counted the requests
      // granted this turn: they go out when the event loop turns. When the turn runs long (200
      // requests set up at once, a GC pause), both buckets refill meanwhile, but the gateway's
      // stops at full before those requests arrive and take from it. Ours stops short by as many.
      const ceiling = Math.max(this.#tokens, capacity - this.#unsent);
      const refilled = this.#tokens + ((now - this.#refilledAt) * this.#rate) / 1000;
      this.#tokens = Math.min(capacity, ceiling, refilled);
    }
    this.#refilledAt = now;
  }

  #canSendNow(): boolean {
    if (this.#inFlight >= this.#concurrency) return false;
    if (this.#rate === Infinity) return true;
    this.#refill();
    return this.#tokens >= 1;
  }

  #grant(): Permit {
    if (this.#rate !== Infinity) {
      this.#tokens -= 1;
      if (this.#unsent++ === 0) afterThisTurn(this.#sent);
    }
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
    if (this.#inFlight >= this.#concurrency || this.#rate === Infinity) return;
    const waitMs = Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.#rate));
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, waitMs);
  }
}
