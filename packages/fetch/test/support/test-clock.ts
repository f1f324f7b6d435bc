import type { QuivoClock } from '@quivo-resilience/core';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** A policy clock (and simulator clock: it has `now`) that moves only when a test says so. */
export interface TestClock extends QuivoClock {
  /** Runs the timers due within `ms`, in order, letting I/O and promises settle after each. */
  advance(ms: number): Promise<void>;
  /** Delays of the pending timers, from now, shortest first. */
  pendingDelays(): number[];
}

export function createTestClock(options: { startMs?: number; random?: number } = {}): TestClock {
  let now = options.startMs ?? Date.UTC(2025, 0, 1);
  let nextId = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const earliestDue = (limit: number) => [...timers].filter(([, t]) => t.due <= limit).sort(([, a], [, b]) => a.due - b.due)[0];
  return {
    now: () => now,
    random: () => options.random ?? 0.5,
    setTimeout(fn, ms) {
      nextId += 1;
      timers.set(nextId, { due: now + Math.max(0, ms), fn });
      return nextId;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      const target = now + ms;
      for (let entry = earliestDue(target); entry; entry = earliestDue(target)) {
        const [id, timer] = entry;
        timers.delete(id);
        now = Math.max(now, timer.due);
        timer.fn();
        await nextMacrotask();
      }
      now = target;
      await nextMacrotask();
    },
    pendingDelays: () => [...timers.values()].map((t) => t.due - now).sort((a, b) => a - b),
  };
}
