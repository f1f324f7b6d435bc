import { QuivoError } from './quivo-error.js';

/** Bad configuration fails at `createQuivoPolicy`, with a message naming the option. */
export function invalidOptions(message: string): QuivoError {
  return new QuivoError({
    code: 'INVALID_OPTIONS',
    message: `Invalid Quivo policy options: ${message}`,
    source: 'client',
    retryable: false,
    transient: false,
    outcome: 'not-executed',
  });
}
