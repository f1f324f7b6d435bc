import { parseArgs } from 'node:util';
import type { FaultRateKey, FaultRates } from './faults.js';
import type { SimulatorOptions } from './options.js';

/** A flag the CLI cannot use; the CLI prints the message and exits with code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/** `--fault504 0.05` and friends, one flag per random fault rate. */
const FAULT_RATE_FLAGS: ReadonlyArray<readonly [flag: string, key: FaultRateKey]> = [
  ['fault504', 'fault504'],
  ['fault500', 'fault500'],
  ['fault502', 'fault502'],
  ['fault503', 'fault503'],
  ['fault403', 'fault403'],
  ['fault-reset', 'reset'],
  ['fault-latency', 'latency'],
  ['fault-html', 'html'],
  ['fault-throttle', 'throttle'],
  ['fault-quota', 'quota'],
  ['fault-expired', 'expired'],
];

export const USAGE = `Usage: quivo-simulator [options]

Starts a local Quivo API behind an API Gateway imitation and prints its URL.

  --port <n>              TCP port, 0 for a free one (default 0)
  --host <address>        interface to listen on (default 127.0.0.1)
  --api-key <key>         accepted X-Api-Key, repeatable (default test-api-key)
  --username <name>       login user (default demo)
  --password <secret>     login password (default demo-password)
  --token-lifetime <s>    token lifetime in seconds (default 3600)
  --throttle-rate <n>     usage-plan rate per API key, requests/s (default none)
  --throttle-burst <n>    usage-plan burst (required with --throttle-rate)
  --quota-limit <n>       usage-plan quota per API key (default none)
  --quota-window <ms>     quota window in ms (required with --quota-limit)
  --login-unthrottled     POST /login skips throttle and quota
  --retry-after <s>       add Retry-After to throttle and quota 429s
  --seed <n>              seed of the random faults (default 1)
  --latency-ms <ms>       delay of latency faults (default 100)
  --random-login          random faults also hit POST /login
${FAULT_RATE_FLAGS.map(([flag]) => `  --${flag} <p>`.padEnd(26) + 'probability per request, 0..1').join('\n')}
  -h, --help              show this help`;

export type CliCommand = { readonly kind: 'help' } | { readonly kind: 'run'; readonly options: SimulatorOptions };

/** Turns argv (without node and script) into simulator options. Throws CliUsageError. */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  const stringFlags = [
    'port', 'host', 'username', 'password', 'token-lifetime', 'throttle-rate', 'throttle-burst',
    'quota-limit', 'quota-window', 'retry-after', 'seed', 'latency-ms', ...FAULT_RATE_FLAGS.map(([flag]) => flag),
  ];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(stringFlags.map((flag) => [flag, { type: 'string' as const }])),
        'api-key': { type: 'string', multiple: true },
        'login-unthrottled': { type: 'boolean' },
        'random-login': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (values['help'] === true) return { kind: 'help' };
  const text = (flag: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : undefined;
  };
  const number = (flag: string): number | undefined => {
    const value = text(flag);
    if (value === undefined) return undefined;
    const parsedNumber = value.trim() === '' ? Number.NaN : Number(value);
    if (!Number.isFinite(parsedNumber)) throw new CliUsageError(`--${flag} expects a number, got '${value}'.`);
    return parsedNumber;
  };
  const pair = (first: string, second: string): [number, number] | undefined => {
    const a = number(first);
    const b = number(second);
    if (a === undefined && b === undefined) return undefined;
    if (a === undefined || b === undefined) throw new CliUsageError(`--${first} and --${second} go together.`);
    return [a, b];
  };

  const rates: FaultRates = {};
  for (const [flag, key] of FAULT_RATE_FLAGS) {
    const rate = number(flag);
    if (rate !== undefined) rates[key] = rate;
  }
  const throttle = pair('throttle-rate', 'throttle-burst');
  const quota = pair('quota-limit', 'quota-window');
  const username = text('username');
  const password = text('password');
  const apiKeys = values['api-key'];
  return {
    kind: 'run',
    options: {
      port: number('port'),
      host: text('host'),
      apiKeys: Array.isArray(apiKeys) ? apiKeys : undefined,
      users:
        username === undefined && password === undefined
          ? undefined
          : [{ username: username ?? 'demo', password: password ?? 'demo-password' }],
      tokenLifetimeSeconds: number('token-lifetime'),
      throttle: throttle === undefined ? undefined : { rate: throttle[0], burst: throttle[1] },
      quota: quota === undefined ? undefined : { limit: quota[0], windowMs: quota[1] },
      throttleLogin: values['login-unthrottled'] === true ? false : undefined,
      retryAfterSeconds: number('retry-after'),
      latencyMs: number('latency-ms'),
      random: { seed: number('seed'), probabilities: rates, includeLogin: values['random-login'] === true },
    },
  };
}
