/**
 * What a fault does, by kind:
 * - `'504'`: the backend does the work, then the gateway answers 504 `Endpoint request timed out`
 *   (so a replayed `POST /orders` creates a duplicate);
 * - `'500'`, `'502'`: `Internal server error`; `'503'`: `Service Unavailable`; the backend does not run;
 * - `'403'`: an explicit IAM deny, `{"Message": ...}` with `AccessDeniedException`;
 * - `'reset'`: the backend does the work, then the socket is destroyed without an answer;
 * - `'latency'`: waits `latencyMs`, then the request goes on as usual;
 * - `'html'`: a CloudFront HTML error page (502, `text/html`);
 * - `'throttle'` / `'quota'`: a 429 as the usage plan sends it; `'expired'`: a 401 expired token.
 */
export const FAULT_KINDS = ['504', '500', '502', '503', '403', 'reset', 'latency', 'html', 'throttle', 'quota', 'expired'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Which requests a scripted fault may hit. Omitted fields match anything. */
export interface FaultMatch {
  /** HTTP method, case-insensitive. */
  method?: string | undefined;
  /**
   * The request path (query excluded): a string equal to the path or to its route template
   * (`'/orders/{id}'`), or a RegExp tested against the path.
   * A fault without `path` never hits `POST /login`, so a client's login does not eat it.
   */
  path?: string | RegExp | undefined;
}

/** One entry of the scripted fault queue. */
export interface ScriptedFault {
  /** Which requests it hits. @default any request except `POST /login` */
  match?: FaultMatch | undefined;
  fault: FaultKind;
  /** How many matching requests get it. @default 1 */
  times?: number | undefined;
  /** Delay of a `'latency'` fault. @default the simulator's `latencyMs` */
  latencyMs?: number | undefined;
}

type NumericFaultKind = Extract<FaultKind, `${number}`>;
/** Keys of a fault-rate table: numeric kinds read `fault504`, the others keep their name. */
export type FaultRateKey = `fault${NumericFaultKind}` | Exclude<FaultKind, NumericFaultKind>;
/** Probability of each fault per request, each in [0, 1], together at most 1. */
export type FaultRates = Partial<Record<FaultRateKey, number>>;

/** A fault chosen for one request. */
export interface ChosenFault {
  readonly kind: FaultKind;
  /** Only meaningful for `'latency'`. */
  readonly latencyMs: number;
}

/** What a fault source needs to know about a request. */
export interface FaultTarget {
  readonly method: string;
  readonly path: string;
  /** The route template, e.g. `/orders/{id}`. */
  readonly routePath: string;
  readonly isLogin: boolean;
}

export function rateKeyOf(kind: FaultKind): FaultRateKey {
  return /^\d+$/.test(kind) ? (`fault${kind}` as FaultRateKey) : (kind as FaultRateKey);
}

const KIND_BY_RATE_KEY = new Map<string, FaultKind>(FAULT_KINDS.map((kind) => [rateKeyOf(kind), kind]));

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value);
}

/** Validates a rate table and returns it as (kind, probability) pairs, zero rates dropped. */
export function parseFaultRates(rates: unknown, name: string): Array<[FaultKind, number]> {
  if (typeof rates !== 'object' || rates === null || Array.isArray(rates)) {
    throw new TypeError(`${name} must be an object such as { fault504: 0.05 }.`);
  }
  const pairs: Array<[FaultKind, number]> = [];
  let total = 0;
  for (const [key, value] of Object.entries(rates)) {
    const kind = KIND_BY_RATE_KEY.get(key);
    if (kind === undefined) {
      throw new TypeError(`${name}.${key} is not a fault; use one of ${[...KIND_BY_RATE_KEY.keys()].join(', ')}.`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
      throw new RangeError(`${name}.${key} must be a probability in [0, 1], got ${String(value)}.`);
    }
    total += value;
    if (value > 0) pairs.push([kind, value]);
  }
  // A little slack so that 0.1 + 0.2 + 0.7 is accepted.
  if (total > 1 + 1e-9) throw new RangeError(`${name} add up to ${total}; together they must be at most 1.`);
  return pairs;
}

export function assertLatencyMs(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number of milliseconds >= 0, got ${String(value)}.`);
  }
}
