import { type SimulatorClock, systemClock } from './clock.js';
import { assertLatencyMs, parseFaultRates, type ScriptedFault } from './faults.js';
import {
  type NormalizedOptions,
  type QuotaOptions,
  SIMULATOR_DEFAULTS,
  type SimulatorOptions,
  type SimulatorUser,
  type ThrottleOptions,
} from './options.js';
import { DEFAULT_STOCK, type StockItem } from './routes/stock.js';

// A record rather than a list, so the compiler notices when an option is added to the type only.
const KNOWN_OPTIONS: Readonly<Record<keyof SimulatorOptions, true>> = {
  port: true, host: true, apiKeys: true, users: true, tokenLifetimeSeconds: true, throttle: true, quota: true,
  throttleLogin: true, retryAfterSeconds: true, faults: true, random: true, latencyMs: true, clock: true,
  sleep: true, stock: true,
};

/** Checks and fills the options; throws a TypeError or RangeError naming the bad option. */
export function normalizeOptions(options: SimulatorOptions = {}): NormalizedOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('Simulator options must be an object.');
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(KNOWN_OPTIONS, key)) throw new TypeError(`Unknown simulator option "${key}".`);
  }
  const port = options.port ?? SIMULATOR_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RangeError(`port must be an integer in 0..65535, got ${String(port)}.`);
  const host = options.host ?? SIMULATOR_DEFAULTS.host;
  if (typeof host !== 'string' || host === '') throw new TypeError('host must be a non-empty string.');
  const latencyMs = options.latencyMs ?? SIMULATOR_DEFAULTS.latencyMs;
  assertLatencyMs(latencyMs, 'latencyMs');
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? SIMULATOR_DEFAULTS.tokenLifetimeSeconds;
  // Whole seconds, so the JWT `exp` claim is an integer as clients expect.
  if (!Number.isSafeInteger(tokenLifetimeSeconds) || tokenLifetimeSeconds < 1) {
    throw new RangeError(`tokenLifetimeSeconds must be an integer >= 1, got ${String(tokenLifetimeSeconds)}.`);
  }
  const retryAfterSeconds = options.retryAfterSeconds ?? null;
  if (retryAfterSeconds !== null && (!Number.isInteger(retryAfterSeconds) || retryAfterSeconds < 0)) {
    throw new RangeError(`retryAfterSeconds must be an integer >= 0, got ${String(retryAfterSeconds)}.`);
  }
  return {
    port,
    host,
    apiKeys: normalizeApiKeys(options.apiKeys),
    passwords: normalizeUsers(options.users),
    tokenLifetimeSeconds,
    throttle: normalizeThrottle(options.throttle),
    quota: normalizeQuota(options.quota),
    throttleLogin: normalizeBoolean(options.throttleLogin, SIMULATOR_DEFAULTS.throttleLogin, 'throttleLogin'),
    retryAfterSeconds,
    faults: normalizeFaultList(options.faults),
    random: normalizeRandom(options.random),
    latencyMs,
    clock: normalizeClock(options.clock),
    sleep: normalizeFunction(options.sleep, 'sleep'),
    stock: normalizeStock(options.stock),
  };
}

function normalizeApiKeys(apiKeys: SimulatorOptions['apiKeys']): ReadonlySet<string> {
  const list = apiKeys === undefined ? [SIMULATOR_DEFAULTS.apiKey] : typeof apiKeys === 'string' ? [apiKeys] : apiKeys;
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('apiKeys must be a string or a non-empty array of strings.');
  for (const key of list) {
    if (typeof key !== 'string' || key === '') throw new TypeError('apiKeys must contain non-empty strings only.');
  }
  return new Set(list);
}

function normalizeUsers(users: SimulatorOptions['users']): ReadonlyMap<string, string> {
  const list: readonly SimulatorUser[] = users ?? [SIMULATOR_DEFAULTS.user];
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('users must be a non-empty array of { username, password }.');
  const passwords = new Map<string, string>();
  for (const [index, user] of list.entries()) {
    if (typeof user?.username !== 'string' || user.username === '' || typeof user.password !== 'string') {
      throw new TypeError(`users[${index}] must be { username: non-empty string, password: string }.`);
    }
    passwords.set(user.username, user.password);
  }
  return passwords;
}

function normalizeThrottle(throttle: SimulatorOptions['throttle']): ThrottleOptions | null {
  if (throttle === undefined || throttle === false) return null;
  if (typeof throttle !== 'object' || throttle === null) throw new TypeError('throttle must be { rate, burst } or false.');
  assertPositive(throttle.rate, 'throttle.rate');
  if (!Number.isInteger(throttle.burst) || throttle.burst < 1) throw new RangeError(`throttle.burst must be an integer >= 1, got ${String(throttle.burst)}.`);
  return { rate: throttle.rate, burst: throttle.burst };
}

function normalizeQuota(quota: SimulatorOptions['quota']): QuotaOptions | null {
  if (quota === undefined || quota === false) return null;
  if (typeof quota !== 'object' || quota === null) throw new TypeError('quota must be { limit, windowMs } or false.');
  if (!Number.isInteger(quota.limit) || quota.limit < 0) throw new RangeError(`quota.limit must be an integer >= 0, got ${String(quota.limit)}.`);
  assertPositive(quota.windowMs, 'quota.windowMs');
  return { limit: quota.limit, windowMs: quota.windowMs };
}

function normalizeFaultList(faults: SimulatorOptions['faults']): readonly ScriptedFault[] {
  if (faults === undefined) return [];
  if (!Array.isArray(faults)) throw new TypeError('faults must be an array of scripted faults.');
  return [...faults];
}

function normalizeRandom(random: SimulatorOptions['random']): NormalizedOptions['random'] {
  if (random !== undefined && (typeof random !== 'object' || random === null)) {
    throw new TypeError('random must be { seed?, probabilities?, includeLogin? }.');
  }
  const { seed = SIMULATOR_DEFAULTS.seed, probabilities = {}, includeLogin } = random ?? {};
  if (!Number.isSafeInteger(seed)) throw new TypeError(`random.seed must be an integer, got ${String(seed)}.`);
  parseFaultRates(probabilities, 'random.probabilities');
  return { seed, rates: { ...probabilities }, includeLogin: normalizeBoolean(includeLogin, false, 'random.includeLogin') };
}

function normalizeClock(clock: SimulatorOptions['clock']): SimulatorClock {
  if (clock === undefined) return systemClock;
  if (typeof clock?.now !== 'function') throw new TypeError('clock must be an object with a now() method.');
  return clock;
}

function normalizeStock(stock: SimulatorOptions['stock']): readonly StockItem[] {
  if (stock === undefined) return DEFAULT_STOCK;
  if (!Array.isArray(stock)) throw new TypeError('stock must be an array of stock items.');
  return stock.map((item) => ({ ...item }));
}

function normalizeFunction<T>(value: T | undefined, name: string): T | null {
  if (value === undefined) return null;
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function.`);
  return value;
}

function normalizeBoolean(value: boolean | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean.`);
  return value;
}

function assertPositive(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number, got ${typeof value}.`);
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a finite number > 0, got ${value}.`);
}
