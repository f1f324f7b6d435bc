import type { QuivoClock } from './policy-types.js';

/**
 * The real clock. Each call reads the global at call time, so fake timers installed after
 * the policy was created (vi.useFakeTimers) still drive it.
 */
export const systemClock: QuivoClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = globalThis.setTimeout(fn, ms);
    // A pending backoff or limiter timer must never keep a Node process alive on its own.
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
};
