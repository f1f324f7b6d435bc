import type { FaultKind } from './faults.js';

/** A snapshot of what the simulator has served since start or the last `resetStats()`. */
export interface SimulatorStats {
  /** Requests answered (or reset), all routes. */
  requests: number;
  /** Answers by route and status, e.g. `{ 'POST /orders': { 201: 3, 429: 1 } }`; unknown routes under `'unmatched'`. */
  byRoute: Record<string, Record<number, number>>;
  /** Answers by status, all routes. */
  byStatus: Record<number, number>;
  /** Successful logins (tokens issued over HTTP). */
  logins: number;
  /** Orders created by `POST /orders`, including those whose answer was lost to a 504 or reset. */
  ordersCreated: number;
  /** Orders created with an `orderIdentifier` that an earlier order already had. */
  duplicateOrders: number;
  /** Requests being handled right now. */
  inFlight: number;
  /** Most requests handled at once. */
  peakConcurrency: number;
  /** 429 answers served (usage plan and faults). */
  throttled: number;
  /** Faults served, by kind (scripted and random). */
  faultsServed: Partial<Record<FaultKind, number>>;
  /** Connections destroyed by `reset` faults. */
  resets: number;
}

/** Key of requests that matched no route in `byRoute`. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Mutable counters behind `stats()`; every method is O(1) on the request path. */
export class StatsRecorder {
  #requests = 0;
  #byRoute = new Map<string, Map<number, number>>();
  #byStatus = new Map<number, number>();
  #logins = 0;
  #ordersCreated = 0;
  #duplicateOrders = 0;
  #inFlight = 0;
  #peakConcurrency = 0;
  #throttled = 0;
  #faultsServed = new Map<FaultKind, number>();
  #resets = 0;

  requestStarted(): void {
    this.#inFlight += 1;
    if (this.#inFlight > this.#peakConcurrency) this.#peakConcurrency = this.#inFlight;
  }

  requestClosed(): void {
    this.#inFlight -= 1;
  }

  answered(routeKey: string, status: number): void {
    this.#requests += 1;
    let statuses = this.#byRoute.get(routeKey);
    if (statuses === undefined) {
      statuses = new Map();
      this.#byRoute.set(routeKey, statuses);
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.#byStatus.set(status, (this.#byStatus.get(status) ?? 0) + 1);
    if (status === 429) this.#throttled += 1;
  }

  connectionReset(): void {
    this.#requests += 1;
    this.#resets += 1;
  }

  loggedIn(): void {
    this.#logins += 1;
  }

  orderCreated(duplicate: boolean): void {
    this.#ordersCreated += 1;
    if (duplicate) this.#duplicateOrders += 1;
  }

  faultServed(kind: FaultKind): void {
    this.#faultsServed.set(kind, (this.#faultsServed.get(kind) ?? 0) + 1);
  }

  /** Zeroes the counters; requests in flight stay counted. */
  reset(): void {
    this.#requests = 0;
    this.#byRoute = new Map();
    this.#byStatus = new Map();
    this.#logins = 0;
    this.#ordersCreated = 0;
    this.#duplicateOrders = 0;
    this.#peakConcurrency = this.#inFlight;
    this.#throttled = 0;
    this.#faultsServed = new Map();
    this.#resets = 0;
  }

  snapshot(): SimulatorStats {
    return {
      requests: this.#requests,
      byRoute: Object.fromEntries([...this.#byRoute].map(([route, statuses]) => [route, Object.fromEntries(statuses)])),
      byStatus: Object.fromEntries(this.#byStatus),
      logins: this.#logins,
      ordersCreated: this.#ordersCreated,
      duplicateOrders: this.#duplicateOrders,
      inFlight: this.#inFlight,
      peakConcurrency: this.#peakConcurrency,
      throttled: this.#throttled,
      faultsServed: Object.fromEntries(this.#faultsServed),
      resets: this.#resets,
    };
  }
}
