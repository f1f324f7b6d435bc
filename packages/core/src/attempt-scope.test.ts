import { describe, expect, it, vi } from 'vitest';
import { systemClock } from './clock.js';
import { createQuivoPolicy } from './create-quivo-policy.js';
import type { AttemptContext, AttemptResponse, QuivoPolicyOptions } from './policy-types.js';
import { isQuivoError } from './quivo-error.js';
import { useFakeTime } from './testing/fake-time.js';

const BASE = 'https://api.quivo.test';
const STOCK = `${BASE}/stock`;
const ok = (): AttemptResponse<string> => ({ status: 200, headers: {}, value: 'ok' });

function policy(options: Partial<QuivoPolicyOptions> = {}) {
  return createQuivoPolicy({ baseURL: BASE, apiKey: 'key-123456', clock: { ...systemClock, random: () => 0.5 }, ...options });
}

/** A timeout error as axios's http adapter raises it when its own `timeout` passes. */
function axiosTimeout(ms: number): Error {
  return Object.assign(new Error(`timeout of ${ms}ms exceeded`), { isAxiosError: true, code: 'ECONNABORTED' });
}

useFakeTime();

describe('the attempt context', () => {
  it('arms no timer for an attempt whose adapter never reads the signal', async () => {
    let timersDuringAttempt = -1;
    const result = await policy().execute({ method: 'GET', url: STOCK }, async () => {
      timersDuringAttempt = vi.getTimerCount();
      return ok();
    });
    expect(result.value).toBe('ok');
    expect(timersDuringAttempt).toBe(0);
  });

  it('arms the per-attempt timer when the signal is read, and clears it when the attempt ends', async () => {
    let timersDuringAttempt = -1;
    await policy().execute({ method: 'GET', url: STOCK }, async (ctx) => {
      expect(ctx.signal.aborted).toBe(false);
      timersDuringAttempt = vi.getTimerCount();
      return ok();
    });
    expect(timersDuringAttempt).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('arms nothing for a signal first read after the attempt ended', async () => {
    let kept: AttemptContext | undefined;
    await policy().execute({ method: 'GET', url: STOCK }, async (ctx) => {
      kept = ctx;
      return ok();
    });
    expect(kept!.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('gives the time limit in whole milliseconds, cut to what is left of the deadline', async () => {
    const limits: number[] = [];
    const run = policy({ timeoutMs: 5000, retry: { maxElapsedMs: 7000.4 } }).execute({ method: 'GET', url: STOCK }, async (ctx) => {
      limits.push(ctx.timeoutMs);
      if (ctx.attempt > 1) return ok();
      await new Promise((resolve) => setTimeout(resolve, 4000));
      return { status: 503, headers: {}, body: { message: 'Service Unavailable' }, value: 'down' };
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(await run).toMatchObject({ value: 'ok', attempts: 2 });
    expect(limits[0]).toBe(5000);
    // 4000 ms of the first attempt and the backoff spent: what remains of 7000.4 ms, rounded up.
    expect(limits[1]).toBeGreaterThan(0);
    expect(limits[1]).toBeLessThan(3001);
    expect(Number.isInteger(limits[1])).toBe(true);
  });

  it("hands the caller's signal to the adapter as callerSignal", async () => {
    const caller = new AbortController();
    const seen: Array<AbortSignal | undefined> = [];
    const send = async (ctx: AttemptContext) => {
      seen.push(ctx.callerSignal);
      return ok();
    };
    await policy().execute({ method: 'GET', url: STOCK, signal: caller.signal }, send);
    await policy().execute({ method: 'GET', url: STOCK }, send);
    expect(seen).toEqual([caller.signal, undefined]);
  });

  it("reports the client's own timeout as the policy's TIMEOUT, and retries a GET after it", async () => {
    const run = policy({ timeoutMs: 1500 }).execute({ method: 'GET', url: STOCK }, async (ctx) => {
      if (ctx.attempt === 1) throw axiosTimeout(ctx.timeoutMs);
      return ok();
    });
    await vi.advanceTimersByTimeAsync(10_000);
    const result = await run;
    expect(result).toMatchObject({ value: 'ok', attempts: 2 });
  });

  it("does not replay a POST after the client's own timeout: the order may exist", async () => {
    const run = policy({ timeoutMs: 1500 }).execute({ method: 'POST', url: `${BASE}/orders` }, async (ctx) => {
      throw axiosTimeout(ctx.timeoutMs);
    });
    const settled = run.then(
      () => undefined,
      (error: unknown) => error,
    );
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await settled;
    expect(isQuivoError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'TIMEOUT', message: 'no response within 1500 ms', source: 'client', outcome: 'unknown', attempts: 1 });
  });

  it("reports an abort through the caller's own signal as ABORTED when the adapter used it directly", async () => {
    const caller = new AbortController();
    const run = policy().execute({ method: 'GET', url: STOCK, signal: caller.signal }, (ctx) => {
      return new Promise<AttemptResponse<string>>((_, reject) => ctx.callerSignal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    });
    const settled = run.then(
      () => undefined,
      (error: unknown) => error,
    );
    caller.abort();
    expect(await settled).toMatchObject({ code: 'ABORTED', attempts: 1 });
  });
});
