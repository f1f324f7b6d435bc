import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Fake timers and a fixed wall clock for each test of the file that calls this, real ones
 * again after: the policy's default clock reads the globals at each call, so it follows them.
 */
export function useFakeTime(startMs: number = Date.parse('2026-11-26T10:00:00Z')): void {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(startMs);
  });
  afterEach(() => vi.useRealTimers());
}
