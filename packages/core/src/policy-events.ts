import { createEvent } from './events.js';
import type { RateChange } from './limiter/limiter-types.js';
import type { GiveUpEvent, RefreshEvent, RetryEvent, ThrottleEvent } from './policy-types.js';
import type { QuivoError } from './quivo-error.js';

/** The four typed events of a policy. Payloads are frozen: a listener cannot change what others see. */
export class PolicyEvents {
  readonly onRetry = createEvent<RetryEvent>();
  readonly onRefresh = createEvent<RefreshEvent>();
  readonly onThrottle = createEvent<ThrottleEvent>();
  readonly onGiveUp = createEvent<GiveUpEvent>();

  retry(event: RetryEvent): void {
    if (this.onRetry.hasListeners) this.onRetry.emit(Object.freeze(event));
  }

  throttled(change: RateChange | undefined, error: QuivoError): void {
    if (change && this.onThrottle.hasListeners) this.onThrottle.emit(Object.freeze({ ...change, error }));
  }

  giveUp(event: GiveUpEvent): void {
    if (this.onGiveUp.hasListeners) this.onGiveUp.emit(Object.freeze(event));
  }
}
