import { isQuivoError, type QuivoError } from '@quivo-resilience/core';

/** The QuivoError a request rejects with; fails the test when it resolves or throws anything else. */
export async function rejection(promise: Promise<unknown>): Promise<QuivoError> {
  const thrown = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isQuivoError(thrown)) throw new Error(`expected a QuivoError, got ${String(thrown)}`);
  return thrown;
}
