import { setMaxListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../clock.js';
import { LocalLimiter, type LocalLimiterSettings } from './local-limiter.js';
import { useFakeTime } from '../testing/fake-time.js';

const settings = (overrides: Partial<LocalLimiterSettings>): LocalLimiterSettings => ({
  requestsPerSecond: Infinity,
  burst: 10,
  maxConcurrent: Infinity,
  adaptive: true,
  ...overrides,
});

useFakeTime(1_000_000);

describe('LocalLimiter', () => {
  it('grants a free slot synchronously, with no timer while no rate is set', () => {
    const limiter = new LocalLimiter(systemClock, settings({ maxConcurrent: 50 }));
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquire()).toBeDefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('grants a token synchronously, marking the end of the turn once for all its grants', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 100 }));
    for (let i = 0; i < 10; i++) expect(limiter.tryAcquire()).toBeDefined();
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refills no further than the gateway can hold while this turn has grants not yet sent', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 10, burst: 2 }));
    limiter.tryAcquire();
    limiter.tryAcquire();
    // A second of synchronous work (or a GC pause) before the loop turns and the two go out:
    // the gateway's bucket sits full all along, and is empty again once they arrive.
    vi.setSystemTime(Date.now() + 1000);
    expect(limiter.tryAcquire()).toBeUndefined();
    await vi.advanceTimersByTimeAsync(0);
    expect(limiter.tryAcquire()).toBeUndefined();
    // From the turn's end, tokens come at the rate as before.
    await vi.advanceTimersByTimeAsync(100);
    expect(limiter.tryAcquire()).toBeDefined();
    expect(limiter.tryAcquire()).toBeUndefined();
  });

  it('refills to the full burst over an idle second once its grants have gone out', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 10, burst: 2 }));
    limiter.tryAcquire();
    limiter.tryAcquire();
    await vi.advanceTimersByTimeAsync(0);
    vi.setSystemTime(Date.now() + 1000);
    expect([limiter.tryAcquire(), limiter.tryAcquire()].every(Boolean)).toBe(true);
    expect(limiter.tryAcquire()).toBeUndefined();
  });

  it('holds requests beyond the burst to the configured rate', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 10, burst: 2 }));
    const granted: number[] = [];
    const signal = new AbortController().signal;
    for (let i = 0; i < 6; i++) void limiter.acquire(signal).then(() => granted.push(Date.now() - 1_000_000));
    await vi.advanceTimersByTimeAsync(1000);
    expect(granted).toEqual([0, 0, 100, 200, 300, 400]);
  });

  it('caps requests in flight and hands a released slot to the next in line', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ maxConcurrent: 2 }));
    const first = limiter.tryAcquire()!;
    limiter.tryAcquire();
    expect(limiter.tryAcquire()).toBeUndefined();
    let third = false;
    void limiter.acquire(new AbortController().signal).then(() => (third = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(false);
    first.release();
    first.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(third).toBe(true);
    expect(limiter.tryAcquire()).toBeUndefined();
  });

  it('drops a queued request the moment its caller aborts', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 1, burst: 1 }));
    limiter.tryAcquire();
    const controller = new AbortController();
    const queued = limiter.acquire(controller.signal);
    const next = limiter.acquire(new AbortController().signal);
    controller.abort(new Error('caller gave up'));
    await expect(queued).rejects.toThrow('caller gave up');
    await vi.advanceTimersByTimeAsync(1000);
    await expect(next).resolves.toBeDefined();
  });

  it('learns a rate from a throttle when none was configured, then recovers', async () => {
    const limiter = new LocalLimiter(systemClock, settings({}));
    for (let step = 0; step < 100; step++) {
      limiter.tryAcquire()?.release();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(limiter.rate).toBe(Infinity);
    const change = limiter.onThrottled(Date.now())!;
    expect(change.previousRate).toBe(Infinity);
    expect(change.rate).toBeGreaterThan(60);
    expect(change.rate).toBeLessThan(80);
    expect(limiter.tryAcquire()).toBeUndefined();

    const signal = new AbortController().signal;
    for (let step = 0; step < 200; step++) {
      const permit = limiter.acquire(signal);
      await vi.advanceTimersByTimeAsync(20);
      (await permit).release();
      limiter.onSuccess();
    }
    expect(limiter.rate).toBeGreaterThan(change.rate);
  });

  it('lowers the rate once for a burst of 429s that were all in flight together', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 100, burst: 10 }));
    const sentAt = Date.now();
    for (let i = 0; i < 10; i++) limiter.tryAcquire()?.release();
    await vi.advanceTimersByTimeAsync(50);
    // The first 429 at the configured rate only pauses: it may be jitter; its burst-mates too.
    expect(limiter.onThrottled(sentAt)).toBeUndefined();
    expect(limiter.onThrottled(sentAt)).toBeUndefined();
    expect(limiter.rate).toBe(100);
    await vi.advanceTimersByTimeAsync(10);
    const sentAfterPause = Date.now();
    await vi.advanceTimersByTimeAsync(10);
    const first = limiter.onThrottled(sentAfterPause)!;
    expect(first.rate).toBeLessThan(100);
    for (let i = 0; i < 39; i++) expect(limiter.onThrottled(sentAfterPause)).toBeUndefined();
    expect(limiter.rate).toBe(first.rate);
    await vi.advanceTimersByTimeAsync(100);
    expect(limiter.onThrottled(Date.now())).toBeDefined();
  });

  it('never raises the rate above a configured limit', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 50, burst: 5 }));
    const signal = new AbortController().signal;
    // One signal for 40 waiters (a request's own wait signal has one listener here).
    setMaxListeners(0, signal);
    const pending = Array.from({ length: 40 }, () => limiter.acquire(signal).then((p) => p.release()));
    await vi.advanceTimersByTimeAsync(400);
    expect(limiter.onThrottled(Date.now())).toBeUndefined();
    await vi.advanceTimersByTimeAsync(5);
    expect(limiter.onThrottled(Date.now())!.rate).toBeLessThan(50);
    for (let i = 0; i < 3000; i++) {
      limiter.onSuccess();
      await vi.advanceTimersByTimeAsync(10);
    }
    await Promise.all(pending);
    expect(limiter.rate).toBe(50);
  });

  /** Asks for 1000 requests a second, twice a 500/s ceiling, and returns every permit it got. */
  const pumpAt1000 = (limiter: LocalLimiter) => async (ms: number) => {
    for (let t = 0; t < ms; t += 5) {
      for (let i = 0; i < 5; i++) {
        const permit = limiter.tryAcquire();
        if (!permit) break;
        permit.release();
        limiter.onSuccess();
      }
      await vi.advanceTimersByTimeAsync(5);
    }
  };

  it('is back at a configured rate within two seconds of lowering it', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 500, burst: 10 }));
    const pump = pumpAt1000(limiter);
    await pump(200);
    // 429s for every other request: the configured rate is too high for now.
    let change: ReturnType<LocalLimiter['onThrottled']>;
    for (let i = 0; i < 20 && !change; i++) {
      change = limiter.onThrottled(Date.now());
      await pump(5);
    }
    expect(change!.rate).toBeLessThan(500);
    await pump(1000);
    expect(limiter.rate).toBeGreaterThan(change!.rate);
    await pump(1000);
    expect(limiter.rate).toBe(500);
  });

  it('keeps a configured rate through a few 429s among many sends (jitter), pausing at each', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 500, burst: 10 }));
    const pump = pumpAt1000(limiter);
    await pump(200);
    // One 429 every 200 ms, about 1 in 100 sends: what clock jitter against the gateway's bucket gives.
    for (let i = 0; i < 10; i++) {
      expect(limiter.onThrottled(Date.now())).toBeUndefined();
      expect(limiter.tryAcquire()).toBeUndefined();
      await pump(200);
    }
    expect(limiter.rate).toBe(500);
  });

  it('keeps a configured rate through a few 429s at the start of a run, before there is a sample', async () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 500, burst: 10 }));
    const pump = pumpAt1000(limiter);
    await pump(20);
    for (let i = 0; i < 3; i++) {
      expect(limiter.onThrottled(Date.now())).toBeUndefined();
      await pump(10);
    }
    expect(limiter.rate).toBe(500);
  });

  it('starts an unknown rate with 10 in flight and allows one more per success (slow start)', async () => {
    const limiter = new LocalLimiter(systemClock, settings({}));
    const first = Array.from({ length: 10 }, () => limiter.tryAcquire());
    expect(first.every(Boolean)).toBe(true);
    expect(limiter.tryAcquire()).toBeUndefined();
    const signal = new AbortController().signal;
    const queued = [limiter.acquire(signal), limiter.acquire(signal)];
    // One request done: its slot and one more.
    first[0]!.release();
    limiter.onSuccess();
    await vi.advanceTimersByTimeAsync(0);
    await expect(Promise.all(queued)).resolves.toHaveLength(2);
    expect(limiter.tryAcquire()).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('is past slow start after a few dozen successes when never throttled', () => {
    const limiter = new LocalLimiter(systemClock, settings({ maxConcurrent: 50 }));
    for (let i = 0; i < 40; i++) {
      limiter.tryAcquire()!.release();
      limiter.onSuccess();
    }
    const permits = Array.from({ length: 50 }, () => limiter.tryAcquire());
    expect(permits.every(Boolean)).toBe(true);
    expect(limiter.tryAcquire()).toBeUndefined();
  });

  it('has no slow start at a configured rate or with adaptive off', () => {
    for (const limiter of [new LocalLimiter(systemClock, settings({ requestsPerSecond: 1000, burst: 50 })), new LocalLimiter(systemClock, settings({ adaptive: false }))]) {
      const permits = Array.from({ length: 50 }, () => limiter.tryAcquire());
      expect(permits.every(Boolean)).toBe(true);
    }
  });

  it('after slow start, doubles a rate measured too low while requests queue, until a 429', async () => {
    const limiter = new LocalLimiter(systemClock, settings({}));
    // Slow start's first 429 after 20 sends spread over 100 ms (slow round trips): 200/s, cut to 140/s.
    for (let i = 0; i < 20; i++) {
      limiter.tryAcquire()!.release();
      await vi.advanceTimersByTimeAsync(5);
    }
    expect(limiter.onThrottled(Date.now())!.rate).toBeCloseTo(140, 0);
    // A long queue behind the rate; every grant is a success.
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    for (let i = 0; i < 2000; i++) void limiter.acquire(controller.signal).then((permit) => permit.release(), () => {});
    const step = async () => {
      await vi.advanceTimersByTimeAsync(60);
      limiter.onSuccess();
      return Math.round(limiter.rate);
    };
    expect([await step(), await step(), await step()]).toEqual([280, 560, 1120]);
    // A 429 for a request sent before the last doubling (the gateway's bucket still draining):
    // a cut, and the probe goes on from there.
    const stray = limiter.onThrottled(Date.now() - 30)!;
    expect(stray.rate).toBeCloseTo(0.7 * 1120, 0);
    expect(await step()).toBe(Math.round(2 * stray.rate));
    // A 429 for a request sent after the last doubling ends the probe: one cut, then the curve.
    const cut = limiter.onThrottled(Date.now())!;
    expect(cut.rate).toBeCloseTo(1.4 * stray.rate, 0);
    const after = [await step(), await step()];
    expect(after[0]).toBeGreaterThanOrEqual(Math.round(cut.rate));
    expect(after[1]).toBeLessThan(2 * cut.rate);
    controller.abort();
  });

  it('does nothing on throttles when adaptive is off', () => {
    const limiter = new LocalLimiter(systemClock, settings({ requestsPerSecond: 20, adaptive: false }));
    expect(limiter.onThrottled(Date.now())).toBeUndefined();
    expect(limiter.rate).toBe(20);
  });
});
