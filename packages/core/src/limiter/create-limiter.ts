import type { QuivoClock } from '../policy-types.js';
import { BottleneckLimiter, type BottleneckLike } from './bottleneck-limiter.js';
import type { Permit, RateChange, RequestLimiter } from './limiter-types.js';
import { LocalLimiter } from './local-limiter.js';

export interface LimiterSettings {
  requestsPerSecond: number;
  burst: number;
  maxConcurrent: number;
  adaptive: boolean;
  bottleneck?: BottleneckLike | undefined;
}

const unlimitedPermit: Permit = { release() {} };

/** `rateLimit: false`: every request passes at once. */
const noLimiter: RequestLimiter = {
  rate: Infinity,
  tryAcquire: () => unlimitedPermit,
  acquire: () => Promise.resolve(unlimitedPermit),
  onThrottled: (_sentAt: number): RateChange | undefined => undefined,
  onSuccess() {},
};

export function createLimiter(clock: QuivoClock, settings: LimiterSettings | false): RequestLimiter {
  if (settings === false) return noLimiter;
  if (settings.bottleneck) return new BottleneckLimiter(settings.bottleneck, settings, () => clock.now());
  return new LocalLimiter(clock, settings);
}
