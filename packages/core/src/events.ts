import type { Disposer } from './policy-types.js';

/** A typed event: `subscribe` returns a disposer, `emit` calls every listener. */
export interface QuivoEvent<T> {
  subscribe(listener: (event: T) => void): Disposer;
  emit(event: T): void;
  readonly hasListeners: boolean;
}

export function createEvent<T>(): QuivoEvent<T> {
  let listeners: ReadonlyArray<(event: T) => void> = [];
  return {
    get hasListeners() {
      return listeners.length > 0;
    },
    subscribe(listener) {
      listeners = [...listeners, listener];
      const dispose = (): void => {
        listeners = listeners.filter((l) => l !== listener);
      };
      return Object.assign(dispose, { dispose });
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // A faulty listener must not fail the request it observes; its error is re-thrown
          // outside the request's call stack so it still surfaces as an uncaught error.
          queueMicrotask(() => {
            throw error;
          });
        }
      }
    },
  };
}
