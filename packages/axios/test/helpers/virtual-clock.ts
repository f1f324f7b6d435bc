import type { QuivoClock } from '@quivo-resilience/core';

interface Timer {
  readonly id: number;
  readonly due: number;
  readonly delayMs: number;
  readonly fn: () => void;
}

export interface VirtualClock extends QuivoClock {
  /** Every delay the policy asked for, in order (backoff, Retry-After, timeouts, deadlines). */
  readonly requested: number[];
  /** Timers at or above `parkAtMs`, waiting for `fireParked` or a clearTimeout. */
  parked(): readonly { delayMs: number }[];
  /** Fires the parked timers whose delay is at most `maxDelayMs`. */
  fireParked(maxDelayMs?: number): void;
}

/**
 * A clock on which time flies: a timer shorter than `parkAtMs` fires on the next macrotask,
 * with `now()` moved to its due time, so backoff and Retry-After cost no wall-clock time and
 * their lengths can be asserted. Longer timers (per-attempt timeouts, the request deadline, a
 * backoff a test wants to abort during) are parked until the test fires them.
 */
export function virtualClock(options: { parkAtMs?: number; random?: () => number } = {}): VirtualClock {
  const parkAtMs = options.parkAtMs ?? 25_000;
  let now = 1_700_000_000_000;
  let nextId = 1;
  const queue: Timer[] = [];
  const parkedTimers: Timer[] = [];
  const requested: number[] = [];
  let draining = false;

  const drain = (): void => {
    draining = false;
    queue.sort((a, b) => a.due - b.due || a.id - b.id);
    const timer = queue.shift();
    if (timer === undefined) return;
    now = Math.max(now, timer.due);
    if (queue.length > 0) schedule();
    timer.fn();
  };
  const schedule = (): void => {
    if (draining) return;
    draining = true;
    setImmediate(drain);
  };

  return {
    requested,
    now: () => now,
    random: options.random ?? (() => 0.5),
    setTimeout(fn, ms) {
      const delayMs = Math.max(0, ms);
      requested.push(delayMs);
      const timer: Timer = { id: nextId++, due: now + delayMs, delayMs, fn };
      if (delayMs >= parkAtMs) parkedTimers.push(timer);
      else {
        queue.push(timer);
        schedule();
      }
      return timer.id;
    },
    clearTimeout(handle) {
      for (const list of [queue, parkedTimers]) {
        const index = list.findIndex((timer) => timer.id === handle);
        if (index !== -1) list.splice(index, 1);
      }
    },
    parked: () => parkedTimers.map((timer) => ({ delayMs: timer.delayMs })),
    fireParked(maxDelayMs = Infinity) {
      const due = parkedTimers.filter((timer) => timer.delayMs <= maxDelayMs);
      for (const timer of due) {
        parkedTimers.splice(parkedTimers.indexOf(timer), 1);
        now = Math.max(now, timer.due);
        timer.fn();
      }
    },
  };
}
