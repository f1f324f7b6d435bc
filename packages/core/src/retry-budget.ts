/** Settings of the retry budget; see `QuivoRetryOptions.budget`. */
export interface RetryBudgetSettings {
  capacity: number;
  retryCost: number;
  timeoutCost: number;
  successRefund: number;
}

/**
 * A retry quota shared by every request of one policy, as the AWS SDKs keep it ("retry
 * quota"): a retry spends tokens, a success gives some back. While the upstream is down the
 * bucket runs dry, and retries stop multiplying the load; once it answers again, successes
 * refill it.
 */
export class RetryBudget {
  #tokens: number;
  readonly #settings: RetryBudgetSettings;

  constructor(settings: RetryBudgetSettings) {
    this.#settings = settings;
    this.#tokens = settings.capacity;
  }

  get available(): number {
    return this.#tokens;
  }

  /** Takes the cost of one retry and returns it; undefined (nothing taken) when the budget cannot pay. */
  trySpend(kind: 'retry' | 'timeout'): number | undefined {
    const cost = kind === 'timeout' ? this.#settings.timeoutCost : this.#settings.retryCost;
    if (cost > this.#tokens) return undefined;
    this.#tokens -= cost;
    return cost;
  }

  /**
   * A request succeeded: it returns the cost of its last retry (the retry that worked), or
   * the small success refund when it needed none, as the AWS SDKs do.
   */
  refund(lastRetryCost: number): void {
    const amount = lastRetryCost > 0 ? lastRetryCost : this.#settings.successRefund;
    this.#tokens = Math.min(this.#settings.capacity, this.#tokens + amount);
  }
}
