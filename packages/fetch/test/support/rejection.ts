import { isQuivoError, type QuivoError } from '@quivo-resilience/core';

/** Settles `promise` into the QuivoError it rejected with, failing the test if it resolved or threw anything else. */
export async function rejection(promise: Promise<unknown>): Promise<QuivoError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!isQuivoError(outcome)) throw new Error(`expected a QuivoError, got ${String(outcome)}`);
  return outcome;
}
