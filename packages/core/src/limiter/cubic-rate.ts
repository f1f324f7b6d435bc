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
  /**
   * When set, the curve is scaled at each throttle so that it is back at the throttled rate
   * this many seconds later, whatever that rate; otherwise `scale` fixes its steepness (AWS's
   * 0.4 takes 4 s to recover from a cut at 100/s, 7 s at 500/s).
   */
  recoverySeconds?: number | undefined;
}

export const defaultCubicSettings: Omit<CubicSettings, 'maxRate'> = { beta: 0.7, scale: 0.4, minRate: 0.5 };

export interface CubicState {
  /** The rate at the last throttle. */
  readonly lastMaxRate: number;
  /** When the last throttle happened, ms. */
  readonly lastThrottleAt: number;
  /** Seconds the curve takes to get back to `lastMaxRate`. */
  readonly timeWindow: number;
  /** The curve's steepness. */
  readonly scale: number;
}

/** The state and new rate after a throttle at `nowMs`, when we were sending `currentRate`. */
export function cubicOnThrottle(settings: CubicSettings, currentRate: number, nowMs: number): { state: CubicState; rate: number } {
  const lastMaxRate = Math.max(settings.minRate, currentRate);
  const rate = clamp(lastMaxRate * settings.beta, settings);
  return { state: { lastMaxRate, lastThrottleAt: nowMs, ...curveShape(settings, lastMaxRate) }, rate };
}

/**
 * The rate after a success at `nowMs`, when the rate is `currentRate`. It never climbs past
 * twice what we are actually sending, so a quiet client does not talk itself into an
 * unbounded rate; nor does that bound lower it (the measure lags a rate that just rose).
 */
export function cubicOnSuccess(settings: CubicSettings, state: CubicState, currentRate: number, measuredRate: number, nowMs: number): number {
  const t = (nowMs - state.lastThrottleAt) / 1000;
  const target = state.scale * (t - state.timeWindow) ** 3 + state.lastMaxRate;
  const ceiling = measuredRate > 0 ? Math.max(currentRate, 2 * measuredRate) : target;
  return clamp(Math.min(target, ceiling), settings);
}

/**
 * A state whose curve is at `rate` now and flat, so it climbs on from there: for a rate that
 * was raised without a throttle (the probe after slow start).
 */
export function cubicPlateau(settings: CubicSettings, rate: number, nowMs: number): CubicState {
  const shape = curveShape(settings, rate);
  return { lastMaxRate: rate, lastThrottleAt: nowMs - shape.timeWindow * 1000, ...shape };
}

/** How long the curve from a decrease at `lastMaxRate` takes to get back to it, and its steepness. */
function curveShape(settings: CubicSettings, lastMaxRate: number): { timeWindow: number; scale: number } {
  const drop = lastMaxRate * (1 - settings.beta);
  if (settings.recoverySeconds === undefined) return { timeWindow: Math.cbrt(drop / settings.scale), scale: settings.scale };
  return { timeWindow: settings.recoverySeconds, scale: drop / settings.recoverySeconds ** 3 };
}

function clamp(rate: number, settings: CubicSettings): number {
  return Math.min(settings.maxRate, Math.max(settings.minRate, rate));
}
