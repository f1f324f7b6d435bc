import { describe, expectTypeOf, it } from 'vitest';
import {
  createManualClock,
  type FaultKind,
  type FaultRates,
  type QuivoSimulator,
  type ScriptedFault,
  type SimulatorOptions,
  type SimulatorStats,
  startQuivoSimulator,
} from './index.js';

describe('public types', () => {
  it('startQuivoSimulator resolves to a simulator with url, stats() and close()', () => {
    expectTypeOf(startQuivoSimulator).parameter(0).toEqualTypeOf<SimulatorOptions | undefined>();
    expectTypeOf(startQuivoSimulator).returns.resolves.toEqualTypeOf<QuivoSimulator>();
    expectTypeOf<QuivoSimulator['url']>().toEqualTypeOf<string>();
    expectTypeOf<ReturnType<QuivoSimulator['stats']>>().toEqualTypeOf<SimulatorStats>();
    expectTypeOf<ReturnType<QuivoSimulator['close']>>().toEqualTypeOf<Promise<void>>();
  });

  it('names fault kinds and rate keys the way the docs do', () => {
    expectTypeOf<'504' | 'reset' | 'latency'>().toMatchTypeOf<FaultKind>();
    expectTypeOf({ fault504: 0.05, reset: 0.01, throttle: 0.1 }).toMatchTypeOf<FaultRates>();
    // @ts-expect-error numeric kinds take the `fault` prefix as rate keys
    const unprefixed: FaultRates = { '504': 0.05 };
    // @ts-expect-error not a fault kind
    const teapot: ScriptedFault = { fault: '418' };
    expectTypeOf(unprefixed).not.toBeAny();
    expectTypeOf(teapot).not.toBeAny();
  });

  it('accepts a manual clock and explicit undefined options', () => {
    expectTypeOf({ clock: createManualClock(), port: undefined, throttle: false as const }).toMatchTypeOf<SimulatorOptions>();
  });
});
