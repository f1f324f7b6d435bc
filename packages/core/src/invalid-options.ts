import { QuivoError } from './quivo-error.js';

/** Bad configuration fails at `createQuivoPolicy`, with a message naming the option. */
export function invalidOptions(message: string): QuivoError {
  return invalidSetting(`Invalid Quivo policy options: ${message}`);
}

/** A bad per-request override fails before anything is sent, naming the override. */
export function invalidRequestOptions(message: string, request: { method: string; url: string }): QuivoError {
  return invalidSetting(`Invalid Quivo request options: ${message}`, request);
}

function invalidSetting(message: string, request?: { method: string; url: string }): QuivoError {
  return new QuivoError({
    code: 'INVALID_OPTIONS',
    message,
    source: 'client',
    retryable: false,
    transient: false,
    outcome: 'not-executed',
    ...(request ? { method: request.method, url: request.url } : {}),
  });
}
