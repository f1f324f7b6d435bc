import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export const QUICK = process.argv.includes('--quick');

/** The middle value; for an even count the mean of the two middle ones. NaN for an empty list. */
export function median(values) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile of `values` (0..100); NaN for an empty list. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function sum(values) {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** Least-squares slope of y over x. */
export function slope(xs, ys) {
  const n = xs.length;
  const mx = sum(xs) / n;
  const my = sum(ys) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/**
 * Runs `trial(alternative, round)` for every alternative in every round, rotating the order
 * each round (ABC, BCA, CAB...), so that a slow patch of background load does not land on one
 * alternative. Returns results grouped by alternative name, in round order.
 */
export async function interleave(alternatives, rounds, trial) {
  const results = new Map(alternatives.map((alt) => [alt.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < alternatives.length; i++) {
      const alt = alternatives[(i + round) % alternatives.length];
      results.get(alt.name).push(await trial(alt, round));
    }
  }
  return results;
}

/**
 * Closed-loop load: `concurrency` workers each send requests back to back until `total` have
 * been started. Returns per-request latencies (ms), outcomes and the elapsed time.
 */
export async function closedLoop({ total, concurrency, send }) {
  const latencies = new Float64Array(total);
  const outcomes = new Array(total);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const index = next++;
      const t0 = performance.now();
      outcomes[index] = await send(index);
      latencies[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return { latencies, outcomes, elapsedMs: performance.now() - started };
}

/**
 * Open-loop load: calls `send(index, offeredAt)` every `1000 / rate` ms for `durationMs`,
 * whether or not earlier calls have finished (scheduled from the start time, so timer lateness
 * does not lower the rate). Resolves once every call has settled.
 */
export async function openLoop({ rate, durationMs, send, startedAt = performance.now() }) {
  const intervalMs = 1000 / rate;
  const total = Math.floor((durationMs / 1000) * rate);
  const calls = [];
  for (let index = 0; index < total; index++) {
    const due = startedAt + index * intervalMs;
    // Never before its time: a timer rounds its delay down and may fire up to a millisecond early.
    for (let wait = due - performance.now(); wait > 0; wait = due - performance.now()) await sleep(Math.ceil(wait));
    calls.push(send(index, performance.now() - startedAt));
  }
  return Promise.all(calls);
}

export function round(value, digits = 2) {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `1234.5` -> `'1,235'`, `0.01234` -> `'0.0123'`: enough digits to read, no more. */
export function fmt(value, digits) {
  if (value === undefined || value === null) return '-';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  const d = digits ?? (abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : abs >= 0.01 ? 3 : 4);
  return value.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
}

export function ratio(value, digits = 3) {
  return Number.isFinite(value) ? `${value.toFixed(digits)}x` : '-';
}

export function percent(value, digits = 2) {
  return Number.isFinite(value) ? `${(value * 100).toFixed(digits)}%` : '-';
}
