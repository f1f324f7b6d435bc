import { describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { createQuivoPolicy } from './create-quivo-policy.js';
import type { AttemptContext, AttemptResponse, QuivoPolicyOptions } from './policy-types.js';
import { answers, type FakeAnswer } from './testing/fake-transport.js';
import { useFakeTime } from './testing/fake-time.js';

const BASE = 'https://api.quivo.test';
const ORDERS = `${BASE}/orders`;

function policy(options: Partial<QuivoPolicyOptions> = {}) {
  return createQuivoPolicy({ baseURL: BASE, apiKey: 'key-123456', clock: { ...systemClock, random: () => 0.5 }, ...options });
}

/** An answer whose `discard` the test can watch. */
function answer(fake: FakeAnswer): AttemptResponse<FakeAnswer> & { discard: ReturnType<typeof vi.fn> } {
  return { status: fake.status, headers: fake.headers ?? {}, body: fake.body, value: { ...fake }, discard: vi.fn() };
}

/** Settles `promise` after the fake clock has run `ms`; a rejection comes back as the value. */
async function outcome<T>(promise: Promise<T>, ms = 120_000): Promise<T | unknown> {
  const settled = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(ms);
  return settled;
}

useFakeTime();

describe('a failed answer the run may still end with', () => {
  it('stays unread while the request waits, and is the final answer when the deadline passes in that wait', async () => {
    const first = answer(answers.unavailable());
    // One request a second: the retry waits for the limiter past a 400 ms deadline.
    const quivo = policy({ rateLimit: { requestsPerSecond: 1, burst: 1 }, retry: { maxElapsedMs: 400 } });
    const send = vi.fn(async () => first);
    const result = await outcome(quivo.execute({ method: 'GET', url: ORDERS }, send));
    expect(send).toHaveBeenCalledTimes(1);
    expect(result).toMatchObject({ status: 503, value: { status: 503 }, error: { code: 'SERVICE_UNAVAILABLE' } });
    expect(first.discard).not.toHaveBeenCalled();
    const { trail } = (result as { error: { trail: unknown } }).error;
    expect(trail).toEqual([
      { attempt: 1, code: 'SERVICE_UNAVAILABLE', status: 503, action: 'retry', delayMs: 50, reason: 'retry: SERVICE_UNAVAILABLE (503)' },
      { attempt: 2, code: 'SERVICE_UNAVAILABLE', status: 503, action: 'give-up', reason: 'deadline passed waiting for the rate limiter' },
    ]);
  });

  it('is freed when the next attempt goes out, and when the run ends with another answer', async () => {
    const failed = [answer(answers.unavailable()), answer(answers.unavailable())];
    const last = answer(answers.notFound('7'));
    const send = vi.fn(async () => failed.shift() ?? last);
    const first = failed[0]!;
    const second = failed[1]!;
    const result = await outcome(policy().execute({ method: 'GET', url: ORDERS }, send));
    expect(send).toHaveBeenCalledTimes(3);
    expect(first.discard).toHaveBeenCalledTimes(1);
    expect(second.discard).toHaveBeenCalledTimes(1);
    expect(last.discard).not.toHaveBeenCalled();
    expect(result).toMatchObject({ status: 404, error: { code: 'NOT_FOUND' } });
  });
});

describe('an adapter whose client ignores the signal', () => {
  /** Reads the signal, as an adapter hands it to its client, and never answers. */
  const deaf = (seen: AttemptContext[]) => (ctx: AttemptContext) => {
    seen.push(ctx);
    void ctx.signal;
    return new Promise<AttemptResponse<FakeAnswer>>(() => {});
  };

  it('is ended by the attempt timeout, and the GET is tried again', async () => {
    const seen: AttemptContext[] = [];
    const error = await outcome(policy({ timeoutMs: 1000, retry: { retries: 1 } }).execute({ method: 'GET', url: ORDERS }, deaf(seen)), 10_000);
    expect(seen).toHaveLength(2);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'no response within 1000 ms', attempts: 2 });
  });

  it('is ended by the caller abort, and releases its limiter slot', async () => {
    const quivo = policy({ rateLimit: { maxConcurrent: 1 } });
    const controller = new AbortController();
    const pending = quivo.execute({ method: 'GET', url: ORDERS, signal: controller.signal }, deaf([]));
    await vi.advanceTimersByTimeAsync(5);
    controller.abort();
    expect(await outcome(pending, 10)).toMatchObject({ code: 'ABORTED' });
    const next = await outcome(quivo.execute({ method: 'GET', url: ORDERS }, async () => answer(answers.ok())), 10);
    expect(next).toMatchObject({ status: 200 });
  });

  it('frees an answer that comes after the attempt was ended', async () => {
    const late = answer(answers.ok());
    const send = (ctx: AttemptContext) => {
      void ctx.signal;
      return new Promise<AttemptResponse<FakeAnswer>>((resolve) => setTimeout(() => resolve(late), 5000));
    };
    const error = await outcome(policy({ timeoutMs: 1000, retry: { retries: 0 } }).execute({ method: 'GET', url: ORDERS }, send), 10_000);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(late.discard).toHaveBeenCalledTimes(1);
  });

  it('still settles with its own error when it honours the signal', async () => {
    const own = new Error('the client stopped');
    const send = (ctx: AttemptContext) => new Promise<AttemptResponse<FakeAnswer>>((_, reject) => ctx.signal.addEventListener('abort', () => reject(own)));
    const error = await outcome(policy({ timeoutMs: 1000, retry: { retries: 0 } }).execute({ method: 'GET', url: ORDERS }, send), 10_000);
    expect(error).toMatchObject({ code: 'TIMEOUT', cause: own });
  });
});

describe("the caller's signal once the attempt has ended", () => {
  it('is let go, whether the attempt got an answer or not: nothing piles up on a long-lived signal', async () => {
    const seen: AttemptContext[] = [];
    const controller = new AbortController();
    const quivo = policy({ retry: { retries: 0 } });
    const answered = async (ctx: AttemptContext) => {
      seen.push(ctx);
      void ctx.signal;
      return answer(answers.ok());
    };
    const refused = async (ctx: AttemptContext): Promise<AttemptResponse<FakeAnswer>> => {
      seen.push(ctx);
      void ctx.signal;
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    for (let i = 0; i < 20; i++) await outcome(quivo.execute({ method: 'GET', url: ORDERS, signal: controller.signal }, i % 2 ? refused : answered), 10);
    controller.abort();
    expect(seen).toHaveLength(20);
    expect(seen.filter((ctx) => ctx.signal.aborted)).toHaveLength(0);
  });
});

describe('the adaptive limiter and answers that are not successes', () => {
  it('widens its slow start on 4xx answers as on successes, and not on 5xx', async () => {
    const peakInFlight = async (fake: FakeAnswer) => {
      let inFlight = 0;
      let peak = 0;
      const send = () => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        return new Promise<AttemptResponse<FakeAnswer>>((resolve) =>
          setTimeout(() => {
            inFlight -= 1;
            resolve(answer(fake));
          }, 100),
        );
      };
      const quivo = policy({ retry: { retries: 0 } });
      await outcome(Promise.all(Array.from({ length: 200 }, () => quivo.execute({ method: 'GET', url: ORDERS }, send))), 5000);
      return peak;
    };
    expect(await peakInFlight(answers.ok())).toBeGreaterThan(50);
    expect(await peakInFlight(answers.notFound('7'))).toBeGreaterThan(50);
    expect(await peakInFlight(answers.unavailable())).toBe(10);
  });
});
