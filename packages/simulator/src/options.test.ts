import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';
import type { SimulatorOptions } from './options.js';
import { startQuivoSimulator } from './server.js';
import { startForTest } from './test-helpers.js';

describe('startQuivoSimulator options', () => {
  it.each<[string, unknown, ErrorConstructor]>([
    ['an unknown option', { throtle: { rate: 1, burst: 1 } }, TypeError],
    ['a port out of range', { port: 70_000 }, RangeError],
    ['an empty key list', { apiKeys: [] }, TypeError],
    ['a user without password', { users: [{ username: 'a' }] }, TypeError],
    ['a fractional token lifetime', { tokenLifetimeSeconds: 1.5 }, RangeError],
    ['a zero throttle rate', { throttle: { rate: 0, burst: 1 } }, RangeError],
    ['a throttle rate that is no number', { throttle: { rate: '5', burst: 1 } }, TypeError],
    ['a negative quota', { quota: { limit: -1, windowMs: 1000 } }, RangeError],
    ['a probability above 1', { random: { probabilities: { fault504: 2 } } }, RangeError],
    ['a seed that is no integer', { random: { seed: 0.5 } }, TypeError],
    ['an unknown scripted fault', { faults: [{ fault: 'teapot' }] }, TypeError],
    ['a clock without now()', { clock: {} }, TypeError],
    ['a sleep that is no function', { sleep: 100 }, TypeError],
  ])('throws on %s before listening', async (_, options, errorType) => {
    await expect(startQuivoSimulator(options as SimulatorOptions)).rejects.toThrow(errorType);
  });

  it('listens on 127.0.0.1 on a free port by default and on the given port when asked', async () => {
    const first = await startForTest();
    expect(first.url).toBe(`http://127.0.0.1:${first.port}`);
    const port = first.port;
    await first.close();

    const second = await startForTest({ port });
    expect(second.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('close() ends idle keep-alive connections, and a second close() is harmless', async () => {
    const sim = await startQuivoSimulator();
    expect((await fetch(`${sim.url}/nowhere`)).status).toBe(403);

    await sim.close();
    await sim.close();

    await expect(fetch(`${sim.url}/nowhere`)).rejects.toThrow(TypeError);
  });

  it('close() does not wait for a pending latency fault', async () => {
    const sim = await startQuivoSimulator({ faults: [{ fault: 'latency', latencyMs: 60_000 }] });
    const pending = fetch(`${sim.url}/stock`, { headers: { 'x-api-key': 'test-api-key', authorization: sim.issueToken() } });
    await expect.poll(() => sim.stats().faultsServed.latency).toBe(1);

    await sim.close();

    await expect(pending).rejects.toThrow(TypeError);
  });
});

describe('createManualClock', () => {
  it('moves only when told, and only forward through advance()', () => {
    const clock = createManualClock(1000);
    expect(clock.now()).toBe(1000);
    expect(clock.advance(500)).toBe(1500);
    clock.set(10);
    expect(clock.now()).toBe(10);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
