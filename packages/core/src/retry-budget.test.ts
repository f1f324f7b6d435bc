import { describe, expect, it } from 'vitest';
import { RetryBudget } from './retry-budget.js';

describe('RetryBudget', () => {
  const settings = { capacity: 20, retryCost: 5, timeoutCost: 10, successRefund: 1 };

  it('stops paying for retries once an outage has drained it', () => {
    const budget = new RetryBudget(settings);
    expect(budget.trySpend('retry')).toBe(5);
    expect(budget.trySpend('timeout')).toBe(10);
    expect(budget.trySpend('retry')).toBe(5);
    expect(budget.trySpend('retry')).toBeUndefined();
    expect(budget.available).toBe(0);
  });

  it('refills from successes, never above its capacity', () => {
    const budget = new RetryBudget(settings);
    budget.trySpend('timeout');
    budget.refund(0);
    expect(budget.available).toBe(11);
    budget.refund(10);
    expect(budget.available).toBe(20);
  });
});
