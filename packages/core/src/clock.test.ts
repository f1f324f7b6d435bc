import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';

describe('systemClock', () => {
  it('keeps the process alive while a request waits on one of its timers', () => {
    const handle = systemClock.setTimeout(() => {}, 10_000) as ReturnType<typeof setTimeout>;
    expect(handle.hasRef()).toBe(true);
    systemClock.clearTimeout(handle);
  });
});
