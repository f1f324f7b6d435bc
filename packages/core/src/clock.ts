import type { QuivoClock } from './policy-types.js';

/**
 * The real clock. Each call reads the global at call time, so fake timers installed after
 * the policy was created (vi.useFakeTimers) still drive it.
 */
export const systemClock: QuivoClock = {
  now: () => Date.now(),
  // Not unref'd: while a request waits on a timer (backoff, queue, login), that timer is
  // what keeps a script alive until the request settles. Nothing is scheduled while idle.
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};
