import { describe, expect, it } from 'vitest';
import { fullJitterDelay, parseRetryAfter } from './backoff.js';

describe('fullJitterDelay', () => {
  it('spreads the delay over [0, base * 2^n)', () => {
    expect(fullJitterDelay(0, 100, 20_000, 0)).toBe(0);
    expect(fullJitterDelay(0, 100, 20_000, 0.999)).toBe(99);
    expect(fullJitterDelay(3, 100, 20_000, 0.5)).toBe(400);
  });

  it('never exceeds the cap, however many retries came before', () => {
    expect(fullJitterDelay(10, 100, 20_000, 0.999)).toBe(19_980);
    expect(fullJitterDelay(5_000, 100, 20_000, 0.999)).toBe(19_980);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-26T10:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads every HTTP-date form', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Thursday, 26-Nov-26 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Thu Nov 26 10:00:09 2026', now)).toBe(9000);
  });

  it('treats a date in the past as "now"', () => {
    expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of [undefined, null, '', 'soon', '-5', '1.5', '12abc']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});
