import { type ChosenFault, type FaultKind, type FaultRates, type FaultTarget, parseFaultRates } from './faults.js';
import { mulberry32 } from './prng.js';

/**
 * Seeded random faults: one draw per eligible request, mapped onto the cumulative rates, so the
 * same seed and the same sequence of requests give the same faults.
 */
export class RandomFaults {
  readonly #next: () => number;
  readonly #includeLogin: boolean;
  readonly #latencyMs: number;
  #table: Array<readonly [FaultKind, number]> = [];

  constructor(options: { seed: number; rates: FaultRates; includeLogin: boolean; latencyMs: number }) {
    this.#next = mulberry32(options.seed);
    this.#includeLogin = options.includeLogin;
    this.#latencyMs = options.latencyMs;
    this.setRates(options.rates);
  }

  /** Replaces the whole rate table; kinds left out drop to 0. The generator keeps its state. */
  setRates(rates: FaultRates): void {
    let cumulative = 0;
    this.#table = parseFaultRates(rates, 'fault rates').map(([kind, rate]) => {
      cumulative += rate;
      return [kind, cumulative] as const;
    });
  }

  draw(target: FaultTarget): ChosenFault | undefined {
    if (this.#table.length === 0 || (target.isLogin && !this.#includeLogin)) return undefined;
    const roll = this.#next();
    for (const [kind, upTo] of this.#table) {
      if (roll < upTo) return { kind, latencyMs: this.#latencyMs };
    }
    return undefined;
  }
}
