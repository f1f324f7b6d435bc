import {
  assertLatencyMs,
  type ChosenFault,
  type FaultMatch,
  type FaultTarget,
  isFaultKind,
  type ScriptedFault,
} from './faults.js';

interface QueuedFault {
  readonly chosen: ChosenFault;
  readonly method: string | undefined;
  readonly path: string | RegExp | undefined;
  remaining: number;
}

/**
 * Scripted faults: what the next matching requests get, in the order they were pushed.
 * A request takes the first entry that matches it; entries that do not match wait for theirs.
 */
export class FaultQueue {
  readonly #entries: QueuedFault[] = [];
  readonly #defaultLatencyMs: number;

  constructor(defaultLatencyMs: number) {
    this.#defaultLatencyMs = defaultLatencyMs;
  }

  /** Adds faults at the end of the queue. All are validated before any is added. */
  push(...faults: ScriptedFault[]): void {
    const entries = faults.map((fault, index) => this.#toEntry(fault, `faults[${index}]`));
    this.#entries.push(...entries);
  }

  /** Drops every fault not served yet. */
  clear(): void {
    this.#entries.length = 0;
  }

  /** How many fault responses are still queued (an entry with `times: 3` counts 3). */
  get pending(): number {
    return this.#entries.reduce((sum, entry) => sum + entry.remaining, 0);
  }

  /** Removes and returns the fault for this request, if one is queued for it. */
  take(target: FaultTarget): ChosenFault | undefined {
    const index = this.#entries.findIndex((entry) => matches(entry, target));
    const entry = this.#entries[index];
    if (entry === undefined) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.#entries.splice(index, 1);
    return entry.chosen;
  }

  #toEntry(fault: ScriptedFault, name: string): QueuedFault {
    if (typeof fault !== 'object' || fault === null) throw new TypeError(`${name} must be an object.`);
    if (!isFaultKind(fault.fault)) throw new TypeError(`${name}.fault is not a known fault kind: ${String(fault.fault)}.`);
    const times = fault.times ?? 1;
    if (!Number.isSafeInteger(times) || times < 1) throw new RangeError(`${name}.times must be an integer >= 1, got ${String(times)}.`);
    const latencyMs = fault.latencyMs ?? this.#defaultLatencyMs;
    assertLatencyMs(latencyMs, `${name}.latencyMs`);
    const match: FaultMatch = fault.match ?? {};
    if (match.method !== undefined && typeof match.method !== 'string') throw new TypeError(`${name}.match.method must be a string.`);
    if (match.path !== undefined && typeof match.path !== 'string' && !(match.path instanceof RegExp)) {
      throw new TypeError(`${name}.match.path must be a string or a RegExp.`);
    }
    return {
      chosen: { kind: fault.fault, latencyMs },
      method: match.method?.toUpperCase(),
      // A copy, so a global RegExp's lastIndex is ours alone.
      path: match.path instanceof RegExp ? new RegExp(match.path.source, match.path.flags) : match.path,
      remaining: times,
    };
  }
}

function matches(entry: QueuedFault, target: FaultTarget): boolean {
  if (entry.method !== undefined && entry.method !== target.method) return false;
  const { path } = entry;
  if (path === undefined) return !target.isLogin;
  if (typeof path === 'string') return path === target.path || path === target.routePath;
  path.lastIndex = 0;
  return path.test(target.path);
}
