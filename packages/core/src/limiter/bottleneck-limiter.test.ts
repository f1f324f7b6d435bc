import Bottleneck from 'bottleneck';
import { describe, expect, it } from 'vitest';
import { createQuivoPolicy } from '../create-quivo-policy.js';
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

  it('widens minTime for the whole cluster on a throttle and narrows it back on successes', async () => {
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
    await Promise.resolve();
    expect(limiter.rate).toBe(100);
    expect(settings[0]).toEqual({ minTime: 15 });
    expect(settings.at(-1)).toEqual({ minTime: 10 });
    // Written when the spacing has moved a tenth, not once per success: 15 -> 10 is a few writes.
    expect(settings.length).toBeLessThanOrEqual(6);
    expect(settings.map((s) => s.minTime)).toEqual([...settings.map((s) => s.minTime)].sort((a, b) => b! - a!));
  });

  it("leaves the instance's own settings alone when no rate was configured", async () => {
    const settings: Array<{ minTime?: number | null }> = [];
    const limiter = new BottleneckLimiter(
      { schedule: (fn) => Promise.resolve(fn()), updateSettings: (s) => settings.push(s) },
      { requestsPerSecond: Infinity, adaptive: true },
      () => 5000,
    );
    expect(limiter.onThrottled(4990)).toBeUndefined();
    for (let i = 0; i < 100; i++) limiter.onSuccess();
    await Promise.resolve();
    expect(settings).toEqual([]);
    expect(limiter.rate).toBe(Infinity);
  });

  it('does not turn a failed settings write (the datastore down) into an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let writes = 0;
      const limiter = new BottleneckLimiter(
        {
          schedule: (fn) => Promise.resolve(fn()),
          updateSettings: () => {
            writes += 1;
            return Promise.reject(new Error('Connection is closed.'));
          },
        },
        { requestsPerSecond: 100, adaptive: true },
        () => 5000,
      );
      limiter.onThrottled(4990);
      for (let i = 0; i < 100; i++) limiter.onSuccess();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(writes).toBeGreaterThan(1);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('ends a request with LIMITER_FAILED, nothing sent, when the limiter cannot schedule it', async () => {
    const failing = { schedule: () => Promise.reject(new Error('Connection is closed.')), updateSettings: () => undefined };
    const policy = createQuivoPolicy({ baseURL: 'https://api.quivo.test', apiKey: 'key-123456', rateLimit: { bottleneck: failing } });
    let sent = 0;
    const outcome = policy.execute({ method: 'POST', url: 'https://api.quivo.test/orders' }, async () => {
      sent += 1;
      return { status: 200, headers: {}, value: null };
    });
    await expect(outcome).rejects.toMatchObject({
      code: 'LIMITER_FAILED',
      outcome: 'not-executed',
      transient: true,
      message: 'not sent: the rate limiter failed (Connection is closed.)',
      trail: [{ attempt: 1, code: 'LIMITER_FAILED', action: 'give-up', reason: 'the rate limiter failed' }],
    });
    expect(sent).toBe(0);
  });
});
