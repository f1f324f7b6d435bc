const SLOT_MS = 100;
const SLOTS = 10;

/**
 * Counts events (sends, throttles) over the last second in ten 100 ms slots: enough precision
 * to tell the adaptive limiter how fast we were sending when the server said "too many".
 */
export class SendRateMeter {
  readonly #slots = new Float64Array(SLOTS);
  #currentSlot = -1;
  #firstSlot = -1;

  record(nowMs: number): void {
    this.#advance(nowMs);
    this.#slots[this.#currentSlot % SLOTS]! += 1;
  }

  /** Events over the last second. */
  count(nowMs: number): number {
    if (this.#firstSlot < 0) return 0;
    this.#advance(nowMs);
    let total = 0;
    for (const count of this.#slots) total += count;
    return total;
  }

  /**
   * Sends per second over the last second, measured from the oldest slot that has a send:
   * a burst that began 200 ms ago after a quiet spell counts as its own rate, not as that
   * burst spread over a whole second.
   */
  rate(nowMs: number): number {
    if (this.#firstSlot < 0) return 0;
    this.#advance(nowMs);
    let total = 0;
    let oldest = this.#currentSlot;
    for (let slot = this.#currentSlot - SLOTS + 1; slot <= this.#currentSlot; slot++) {
      const count = slot < 0 ? 0 : this.#slots[slot % SLOTS]!;
      if (count > 0 && slot < oldest) oldest = slot;
      total += count;
    }
    const spanMs = Math.max(SLOT_MS, nowMs - oldest * SLOT_MS);
    return (total * 1000) / spanMs;
  }

  #advance(nowMs: number): void {
    const slot = Math.floor(nowMs / SLOT_MS);
    if (this.#firstSlot < 0) {
      this.#firstSlot = slot;
      this.#currentSlot = slot;
      return;
    }
    if (slot <= this.#currentSlot) return;
    const gap = Math.min(SLOTS, slot - this.#currentSlot);
    for (let i = 1; i <= gap; i++) this.#slots[(this.#currentSlot + i) % SLOTS] = 0;
    this.#currentSlot = slot;
  }
}
