import axios, { type CancelToken } from 'axios';
import { describe, expect, it } from 'vitest';
import { callerCancellation } from './caller-cancellation.js';

describe('callerCancellation', () => {
  it('hands a real AbortSignal through untouched when there is no cancel token', () => {
    const controller = new AbortController();

    expect(callerCancellation(controller.signal, undefined).signal).toBe(controller.signal);
    expect(callerCancellation(undefined, undefined).signal).toBeUndefined();
  });

  it('aborts on either the signal or the cancel token, with its reason', async () => {
    const controller = new AbortController();
    const source = axios.CancelToken.source();
    const viaSignal = callerCancellation(controller.signal, source.token);
    controller.abort('signal reason');

    const viaToken = callerCancellation(undefined, source.token);
    source.cancel('user left');
    // axios calls a token's subscribers from a promise callback.
    await new Promise((resolve) => setImmediate(resolve));

    expect(viaSignal.signal?.reason).toBe('signal reason');
    expect(viaToken.signal?.aborted).toBe(true);
    expect(axios.isCancel(viaToken.signal?.reason)).toBe(true);
  });

  it('leaves no listener on a long-lived token once disposed', () => {
    const listeners = new Set<(cancel: unknown) => void>();
    const token = {
      subscribe: (listener: (cancel: unknown) => void) => listeners.add(listener),
      unsubscribe: (listener: (cancel: unknown) => void) => listeners.delete(listener),
    } as unknown as CancelToken;
    const signalLike = new EventTarget() as EventTarget & { aborted: boolean };
    signalLike.aborted = false;

    const cancellation = callerCancellation(signalLike, token);
    expect(listeners.size).toBe(1);
    cancellation.dispose();

    expect(listeners.size).toBe(0);
    signalLike.dispatchEvent(new Event('abort'));
    expect(cancellation.signal?.aborted).toBe(false);
  });
});
