/** Where the simulator reads the time: token expiry, bucket refill and quota windows. */
export interface SimulatorClock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock, read on every call so fake timers that patch `Date.now` still apply. */
export const systemClock: SimulatorClock = { now: () => Date.now() };

/** A clock that moves only when a test says so. */
export interface ManualClock extends SimulatorClock {
  /** Moves the clock forward by `ms` and returns the new time. */
  advance(ms: number): number;
  /** Sets the clock to `ms` since the epoch. */
  set(ms: number): void;
}

/**
 * A manual clock for tests: token expiry, bucket refill and quota windows follow it, so a test
 * never waits on the wall clock. Pass the same clock to the client under test so both agree.
 * @param startMs first reading. @default Date.UTC(2025, 0, 1)
 */
export function createManualClock(startMs: number = Date.UTC(2025, 0, 1)): ManualClock {
  assertFiniteTime(startMs, 'startMs');
  let current = startMs;
  return {
    now: () => current,
    advance(ms) {
      assertFiniteTime(ms, 'ms');
      if (ms < 0) throw new RangeError(`A manual clock only moves forward; got advance(${ms}).`);
      current += ms;
      return current;
    },
    set(ms) {
      assertFiniteTime(ms, 'ms');
      current = ms;
    },
  };
}

function assertFiniteTime(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${name} must be a finite number of milliseconds, got ${String(value)}.`);
  }
}
