import type { SimulatorClock } from './clock.js';
import type { FaultRates, ScriptedFault } from './faults.js';
import type { StockItem } from './routes/stock.js';

/** A user `POST /login` accepts. */
export interface SimulatorUser {
  username: string;
  password: string;
}

/** A usage-plan rate limit, per API key: a token bucket. */
export interface ThrottleOptions {
  /** Sustained requests per second (bucket refill rate). */
  rate: number;
  /** Bucket size: requests allowed at once. */
  burst: number;
}

/** A usage-plan quota, per API key: at most `limit` requests per window. */
export interface QuotaOptions {
  limit: number;
  /** Window length. Windows are aligned to multiples of `windowMs` since the epoch, as AWS aligns to calendar days. */
  windowMs: number;
}

/** Seeded random faults. */
export interface RandomFaultOptions {
  /** PRNG seed (an integer); the same seed replays the same faults. @default 1 */
  seed?: number | undefined;
  /** Probability of each fault per request, e.g. `{ fault504: 0.05, reset: 0.01 }`. @default {} */
  probabilities?: FaultRates | undefined;
  /** Also hit `POST /login` with random faults. @default false */
  includeLogin?: boolean | undefined;
}

/** Delay used by latency faults; must settle (reject is fine) when `signal` aborts on close. */
export type SimulatorSleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number | undefined;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string | undefined;
  /** Accepted `X-Api-Key` values. @default ['test-api-key'] */
  apiKeys?: string | readonly string[] | undefined;
  /** Accepted logins. @default [{ username: 'demo', password: 'demo-password' }] */
  users?: readonly SimulatorUser[] | undefined;
  /** Lifetime of issued tokens, in whole seconds (the JWT `exp` is `iat` + this). @default 3600 */
  tokenLifetimeSeconds?: number | undefined;
  /** Usage-plan rate limit per API key. @default false (none) */
  throttle?: ThrottleOptions | false | undefined;
  /** Usage-plan quota per API key. @default false (none) */
  quota?: QuotaOptions | false | undefined;
  /** Whether `POST /login` counts against the throttle and quota of its API key. @default true */
  throttleLogin?: boolean | undefined;
  /** Adds `Retry-After: <seconds>` to throttle and quota 429s (API Gateway sends none). @default undefined (no header) */
  retryAfterSeconds?: number | undefined;
  /** Scripted faults queued at start (see `sim.faults.push`). @default [] */
  faults?: readonly ScriptedFault[] | undefined;
  /** Seeded random faults. @default no random faults */
  random?: RandomFaultOptions | undefined;
  /** Delay of a latency fault that names none. @default 100 */
  latencyMs?: number | undefined;
  /** Time source for token expiry, bucket refill and quota windows. @default Date.now */
  clock?: SimulatorClock | undefined;
  /** How latency faults wait. @default a real timer (node:timers/promises) */
  sleep?: SimulatorSleep | undefined;
  /** What `GET /stock` lists. @default three demo items */
  stock?: readonly StockItem[] | undefined;
}

/** Options after `normalizeOptions` (normalize-options.ts): every field filled and checked. */
export interface NormalizedOptions {
  readonly port: number;
  readonly host: string;
  readonly apiKeys: ReadonlySet<string>;
  readonly passwords: ReadonlyMap<string, string>;
  readonly tokenLifetimeSeconds: number;
  readonly throttle: ThrottleOptions | null;
  readonly quota: QuotaOptions | null;
  readonly throttleLogin: boolean;
  readonly retryAfterSeconds: number | null;
  readonly faults: readonly ScriptedFault[];
  readonly random: { seed: number; rates: FaultRates; includeLogin: boolean };
  readonly latencyMs: number;
  readonly clock: SimulatorClock;
  readonly sleep: SimulatorSleep | null;
  readonly stock: readonly StockItem[];
}

/** Every default in one place. */
export const SIMULATOR_DEFAULTS = Object.freeze({
  port: 0,
  host: '127.0.0.1',
  apiKey: 'test-api-key',
  user: Object.freeze({ username: 'demo', password: 'demo-password' }),
  tokenLifetimeSeconds: 3600,
  throttleLogin: true,
  seed: 1,
  latencyMs: 100,
});
