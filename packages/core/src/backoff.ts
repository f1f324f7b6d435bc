/**
 * "Full jitter" from AWS's Architecture Blog, "Exponential Backoff And Jitter" (2015):
 * sleep = random_between(0, min(cap, base * 2 ** attempt)). It spreads retries of many
 * clients evenly instead of synchronising them into waves.
 *
 * @param retryIndex 0 for the first retry.
 * @param random a number in [0, 1).
 */
export function fullJitterDelay(retryIndex: number, baseMs: number, capMs: number, random: number): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(retryIndex, 30));
  return Math.floor(random * ceiling);
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date (IMF-fixdate, and
 * the obsolete RFC 850 and asctime forms, which `Date.parse` reads). Returns milliseconds
 * from `nowMs`, never negative, or undefined when the value is absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  // HTTP-dates are always GMT; asctime's form says so nowhere, and Date.parse would read it as local time.
  const at = Date.parse(/GMT|UTC|[+-]\d{4}$/.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
