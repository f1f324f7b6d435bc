import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { FaultQueue } from './fault-queue.js';
import type { FaultRates, ScriptedFault } from './faults.js';
import { createRequestHandler } from './gateway.js';
import { normalizeOptions } from './normalize-options.js';
import type { SimulatorOptions, SimulatorSleep } from './options.js';
import { OrderStore } from './order-store.js';
import { RandomFaults } from './random-faults.js';
import { createRouter } from './router.js';
import { loginRoutes } from './routes/login.js';
import { orderRoutes } from './routes/orders.js';
import { stockRoutes } from './routes/stock.js';
import { type SimulatorStats, StatsRecorder } from './stats.js';
import { UsagePlan } from './throttle.js';
import { TokenIssuer } from './token.js';

/** The scripted fault queue of a running simulator. */
export interface SimulatorFaultQueue {
  /** Queues faults for the next matching requests, in order. Throws on an invalid entry, adding none. */
  push(...faults: ScriptedFault[]): void;
  /** Drops every queued fault. */
  clear(): void;
  /** Fault answers still queued. */
  readonly pending: number;
}

/** A running simulator. */
export interface QuivoSimulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  readonly port: number;
  /** Scripted faults: `sim.faults.push({ match: { method: 'POST', path: '/orders' }, fault: '504' })`. */
  readonly faults: SimulatorFaultQueue;
  /** Replaces the random fault rates, e.g. `{ fault504: 1 }` for an outage and `{}` to end it. */
  setFaultRate(rates: FaultRates): void;
  /** Every token issued so far now gets 401 "The incoming token has expired". */
  expireTokens(): void;
  /** Every token issued so far now gets 401 "Unauthorized" (unknown token). */
  revokeTokens(): void;
  /** Issues a valid token without a login request (not counted in `logins`). */
  issueToken(username?: string): string;
  /** A snapshot of the counters. */
  stats(): SimulatorStats;
  /** Zeroes the counters (orders and tokens stay). */
  resetStats(): void;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

const realSleep: SimulatorSleep = (ms, signal) => sleepFor(ms, undefined, { signal });

/** Starts a simulator on loopback (a free port unless `port` is given). Throws TypeError/RangeError on bad options. */
export async function startQuivoSimulator(options: SimulatorOptions = {}): Promise<QuivoSimulator> {
  const normalized = normalizeOptions(options);
  const { clock } = normalized;
  const stats = new StatsRecorder();
  const tokens = new TokenIssuer(clock, normalized.tokenLifetimeSeconds);
  const faultQueue = new FaultQueue(normalized.latencyMs);
  faultQueue.push(...normalized.faults);
  const randomFaults = new RandomFaults({ ...normalized.random, latencyMs: normalized.latencyMs });
  const shutdown = new AbortController();
  // Every latency fault in flight waits on this one signal; hundreds at once are expected.
  setMaxListeners(0, shutdown.signal);
  const matchRoute = createRouter([
    ...loginRoutes({ passwords: normalized.passwords, tokens, stats }),
    ...orderRoutes({ store: new OrderStore(clock), stats }),
    ...stockRoutes(normalized.stock),
  ]);
  const server = createServer(
    createRequestHandler({
      options: normalized,
      matchRoute,
      tokens,
      usagePlan: new UsagePlan(normalized.throttle, normalized.quota, clock),
      faultQueue,
      randomFaults,
      stats,
      sleep: normalized.sleep ?? realSleep,
      shutdown: shutdown.signal,
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(normalized.port, normalized.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = normalized.host.includes(':') ? `[${normalized.host}]` : normalized.host;
  const [defaultUser] = normalized.passwords.keys();
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${port}`,
    port,
    faults: faultQueue,
    setFaultRate: (rates) => randomFaults.setRates(rates),
    expireTokens: () => tokens.expireAll(),
    revokeTokens: () => tokens.revokeAll(),
    issueToken: (username = defaultUser ?? 'demo') => tokens.issue(username).token,
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        shutdown.abort();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
