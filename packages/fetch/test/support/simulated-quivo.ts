import { createQuivoPolicy, type QuivoPolicy, type QuivoPolicyOptions } from '@quivo-resilience/core';
import { startQuivoSimulator, type QuivoSimulator, type SimulatorOptions } from '@quivo-resilience/simulator';
import { createQuivoFetch, type QuivoFetchOptions } from '../../src/index.js';
import { createTestClock, type TestClock } from './test-clock.js';

export const API_KEY = 'test-api-key';
export const USER = { username: 'demo', password: 'demo-password' };

/** A simulator and the real policy, both on one test clock. */
export interface SimulatedQuivo {
  readonly sim: QuivoSimulator;
  readonly clock: TestClock;
  /** A quivo fetch over a fresh real policy for the simulator (rate limit off unless set). */
  connect(policyOptions?: QuivoPolicyOptions, fetchOptions?: QuivoFetchOptions): { policy: QuivoPolicy; quivoFetch: typeof fetch };
  close(): Promise<void>;
}

export async function startSimulatedQuivo(simOptions: SimulatorOptions = {}): Promise<SimulatedQuivo> {
  const clock = createTestClock();
  const sim = await startQuivoSimulator({ clock, ...simOptions });
  const policies: QuivoPolicy[] = [];
  return {
    sim,
    clock,
    connect(policyOptions = {}, fetchOptions = {}) {
      const policy = createQuivoPolicy({ baseURL: sim.url, apiKey: API_KEY, credentials: USER, clock, rateLimit: false, ...policyOptions });
      policies.push(policy);
      return { policy, quivoFetch: createQuivoFetch(policy, fetchOptions) };
    },
    async close() {
      for (const policy of policies) policy.close();
      await sim.close();
    },
  };
}

/** Resolves once `condition` holds, polling between macrotasks (real I/O runs meanwhile). */
export async function until(condition: () => boolean, what: string, maxTicks = 20_000): Promise<void> {
  for (let tick = 0; tick < maxTicks; tick += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A POST /orders init as the Quivo API takes it. */
export function orderInit(orderIdentifier: string): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ orderIdentifier, positions: [{ sku: 'SKU-1', quantity: 1 }] }),
  };
}
