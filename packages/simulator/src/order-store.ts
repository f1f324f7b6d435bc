import type { SimulatorClock } from './clock.js';

/** An order as the simulator keeps it: whatever the client posted, plus server fields. */
export type Order = Record<string, unknown> & { readonly id: number };

export interface OrderPage {
  readonly orders: Order[];
  /** Id of the last order of the page when more follow, else null. */
  readonly continueAfter: number | null;
}

const FIRST_ID = 10_000_001;

/** Orders in memory, in creation order, with cursor paging that survives deletes. */
export class OrderStore {
  readonly #orders = new Map<number, Order>();
  /** Every id ever created, ascending; deleted ones are skipped on read and compacted now and then. */
  #ids: number[] = [];
  #deletedSinceCompaction = 0;
  #nextId = FIRST_ID;
  readonly #identifiers = new Set<string>();

  constructor(private readonly clock: SimulatorClock) {}

  /** Stores a new order; `duplicate` when its `orderIdentifier` was seen on an earlier order. */
  create(fields: Record<string, unknown>): { order: Order; duplicate: boolean } {
    const id = this.#nextId;
    this.#nextId += 1;
    const order: Order = { ...fields, id, status: fields['status'] ?? 'OPEN', createdAt: new Date(this.clock.now()).toISOString() };
    this.#orders.set(id, order);
    this.#ids.push(id);
    const identifier = fields['orderIdentifier'];
    let duplicate = false;
    if (typeof identifier === 'string' || typeof identifier === 'number') {
      const key = String(identifier);
      duplicate = this.#identifiers.has(key);
      this.#identifiers.add(key);
    }
    return { order, duplicate };
  }

  get(id: string): Order | undefined {
    return this.#orders.get(toId(id));
  }

  /** Shallow-merges `fields` into the order; `id` never changes. */
  update(id: string, fields: Record<string, unknown>): Order | undefined {
    const current = this.get(id);
    if (current === undefined) return undefined;
    const updated: Order = { ...current, ...fields, id: current.id };
    this.#orders.set(current.id, updated);
    return updated;
  }

  delete(id: string): boolean {
    if (!this.#orders.delete(toId(id))) return false;
    this.#deletedSinceCompaction += 1;
    if (this.#deletedSinceCompaction > 1000 && this.#deletedSinceCompaction * 2 > this.#ids.length) {
      this.#ids = this.#ids.filter((orderId) => this.#orders.has(orderId));
      this.#deletedSinceCompaction = 0;
    }
    return true;
  }

  /** Up to `size` orders created after the order `after` (from the start when null). */
  page(size: number, after: number | null): OrderPage {
    const orders: Order[] = [];
    let index = after === null ? 0 : firstIndexAbove(this.#ids, after);
    for (; index < this.#ids.length && orders.length < size; index += 1) {
      const order = this.#orders.get(this.#ids[index] ?? Number.NaN);
      if (order !== undefined) orders.push(order);
    }
    const last = orders.at(-1);
    const more = last !== undefined && this.#hasOrderFrom(index);
    return { orders, continueAfter: more ? last.id : null };
  }

  #hasOrderFrom(index: number): boolean {
    for (let at = index; at < this.#ids.length; at += 1) {
      if (this.#orders.has(this.#ids[at] ?? Number.NaN)) return true;
    }
    return false;
  }
}

/** Path ids are decimal strings; anything else (`12a`, `1e3`) names no order. */
function toId(id: string): number {
  return /^\d{1,15}$/.test(id) ? Number(id) : Number.NaN;
}

function firstIndexAbove(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? Number.POSITIVE_INFINITY) <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}
