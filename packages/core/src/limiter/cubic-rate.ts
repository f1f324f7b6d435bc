/**
 * CUBIC rate control as the AWS SDKs' "adaptive" retry mode applies it to request rates
 * (after RFC 8312): on a throttle the rate drops to `beta` times what we were sending; on
 * each success it climbs back along a cubic curve that flattens near the rate that was last
 * throttled, then probes beyond it.
 */
export interface CubicSettings {
  /** Multiplicative decrease on a throttle. */
  beta: number;
  /** Steepness of the cubic recovery. */
  scale: number;
  /** Floor of the rate, requests per second. */
  minRate: number;
  /** Ceiling of the rate (a configured limit), or Infinity. */
  maxRate: number;
}

export const defaultCubicSettings: Omit<CubicSettings, 'maxRate'> = { beta: 0.7, scale: 0.4, minRate: 0.5 };

export interface CubicState {
  /** The rate at the last throttle. */
  readonly lastMaxRate: number;
  /** When the last throttle happened, ms. */
  readonly lastThrottleAt: number;
  /** Seconds the curve takes to get back to `lastMaxRate`. */
  readonly timeWindow: number;
}

/** The state and new rate after a throttle at `nowMs`, when we were sending `currentRate`. */
export function cubicOnThrottle(settings: CubicSettings, currentRate: number, nowMs: number): { state: CubicState; rate: number } {
  const lastMaxRate = Math.max(settings.minRate, currentRate);
  const timeWindow = Math.cbrt((lastMaxRate * (1 - settings.beta)) / settings.scale);
  const rate = clamp(lastMaxRate * settings.beta, settings);
  return { state: { lastMaxRate, lastThrottleAt: nowMs, timeWindow }, rate };
}

/**
 * The rate after a success at `nowMs`. It never exceeds twice what we are actually
 * sending, so a quiet client does not talk itself into an unbounded rate.
 */
export function cubicOnSuccess(settings: CubicSettings, state: CubicState, measuredRate: number, nowMs: number): number {
  const t = (nowMs - state.lastThrottleAt) / 1000;
  const target = settings.scale * (t - state.timeWindow) ** 3 + state.lastMaxRate;
  const ceiling = measuredRate > 0 ? 2 * measuredRate : target;
  return clamp(Math.min(target, ceiling), settings);
}

function clamp(rate: number, settings: CubicSettings): number {
  return Math.min(settings.maxRate, Math.max(settings.minRate, rate));
}
