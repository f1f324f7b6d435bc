import Bottleneck from 'bottleneck';
import { describe, expect, it } from 'vitest';
import { BottleneckLimiter } from './bottleneck-limiter.js';

// Real bottleneck, local datastore: the same code path a Redis-clustered instance takes.
describe('BottleneckLimiter', () => {
  it('holds a bottleneck slot from acquire to release', async () => {
    const bottleneck = new Bottleneck({ maxConcurrent: 1 });
    const limiter = new BottleneckLimiter(bottleneck, { requestsPerSecond: Infinity, adaptive: true }, Date.now);
    const signal = new AbortController().signal;
    const first = await limiter.acquire(signal);
    let secondGranted = false;
    const second = limiter.acquire(signal).then((permit) => {
      secondGranted = true;
      return permit;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(secondGranted).toBe(false);
    first.release();
    (await second).release();
    expect(secondGranted).toBe(true);
    await bottleneck.stop({ dropWaitingJobs: false });
  });

  it('lets a queued caller leave at once, and frees the slot it would have had', async () => {
    const bottleneck = new Bottleneck({ maxConcurrent: 1 });
    const limiter = new BottleneckLimiter(bottleneck, { requestsPerSecond: Infinity, adaptive: true }, Date.now);
    const holder = await limiter.acquire(new AbortController().signal);
    const controller = new AbortController();
    const leaving = limiter.acquire(controller.signal);
    controller.abort(new Error('caller left'));
    await expect(leaving).rejects.toThrow('caller left');
    // With one slot, `next` is granted only if the slot queued for the leaver was freed.
    const next = limiter.acquire(new AbortController().signal);
    holder.release();
    (await next).release();
    await bottleneck.stop({ dropWaitingJobs: false });
  });

  it('widens minTime for the whole cluster on a throttle and narrows it back on successes', () => {
    const settings: Array<{ minTime?: number | null }> = [];
    const limiter = new BottleneckLimiter(
      { schedule: (fn) => Promise.resolve(fn()), updateSettings: (s) => settings.push(s) },
      { requestsPerSecond: 100, adaptive: true },
      () => 5000,
    );
    expect(limiter.rate).toBe(100);
    expect(limiter.onThrottled(4990)).toEqual({ previousRate: 100, rate: 1000 / 15 });
    expect(limiter.onThrottled(4995)).toBeUndefined();
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    expect(limiter.rate).toBe(100);
    expect(settings.at(-1)).toEqual({ minTime: 10 });
  });
});
