import { describe, expect, it } from 'vitest';
import { SendRateMeter } from './send-rate-meter.js';

describe('SendRateMeter', () => {
  it('measures a burst that follows a quiet spell at its own rate', () => {
    const meter = new SendRateMeter();
    meter.record(0);
    for (let i = 0; i < 20; i++) meter.record(10_000 + i * 10);
    expect(meter.rate(10_200)).toBe(100);
  });

  it('counts only the last second', () => {
    const meter = new SendRateMeter();
    for (let t = 0; t < 3000; t += 20) meter.record(t);
    expect(meter.count(2999)).toBe(50);
    expect(meter.rate(3000)).toBeCloseTo(50, 0);
    expect(meter.rate(10_000)).toBe(0);
  });
});
