import type { CancelToken, GenericAbortSignal } from 'axios';

/** The caller's axios `signal` and legacy `cancelToken`, as the one AbortSignal the policy takes. */
export interface CallerCancellation {
  readonly signal: AbortSignal | undefined;
  /** Detaches from the caller's signal and token; the request is over. */
  dispose(): void;
}

const NOTHING_TO_DISPOSE = (): void => {};

/** Most requests carry no cancellation of the caller's: one shared answer for them all. */
const NO_CANCELLATION: CallerCancellation = Object.freeze({ signal: undefined, dispose: NOTHING_TO_DISPOSE });

export function callerCancellation(signal: GenericAbortSignal | undefined, cancelToken: CancelToken | undefined): CallerCancellation {
  if (cancelToken === undefined && signal === undefined) return NO_CANCELLATION;
  if (cancelToken === undefined && signal instanceof AbortSignal) return { signal, dispose: NOTHING_TO_DISPOSE };
  // A signal-like object that is not a real AbortSignal, or a CancelToken: link them into one
  // controller, and unlink when the request ends so a long-lived token holds no listener of ours.
  const controller = new AbortController();
  const unlinks: Array<() => void> = [];
  if (signal !== undefined) unlinks.push(linkSignal(signal, controller));
  if (cancelToken !== undefined) unlinks.push(linkCancelToken(cancelToken, controller));
  return {
    signal: controller.signal,
    dispose: () => {
      for (const unlink of unlinks) unlink();
    },
  };
}

function linkSignal(signal: GenericAbortSignal, controller: AbortController): () => void {
  const reason = (): unknown => (signal as { reason?: unknown }).reason;
  if (signal.aborted) {
    controller.abort(reason());
    return NOTHING_TO_DISPOSE;
  }
  const onAbort = (): void => controller.abort(reason());
  // axios's own adapters listen with addEventListener only; a signal-like without it is
  // honoured when it is already aborted, as axios does.
  signal.addEventListener?.('abort', onAbort);
  return () => signal.removeEventListener?.('abort', onAbort);
}

function linkCancelToken(token: CancelToken, controller: AbortController): () => void {
  if (token.reason !== undefined) {
    controller.abort(token.reason);
    return NOTHING_TO_DISPOSE;
  }
  const onCancel = (cancel: unknown): void => controller.abort(cancel);
  token.subscribe(onCancel);
  return () => token.unsubscribe(onCancel);
}
