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
  // Source client, outcome not-executed, neither transient nor retryable: the code's defaults.
  return new QuivoError({ code: 'INVALID_OPTIONS', message, ...(request ? { method: request.method, url: request.url } : {}) });
}

/** A short, safe rendering of a bad value: its type, and the value itself only when it is a number. */
export function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : typeof value === 'string' ? 'a string' : value === null ? 'null' : typeof value;
}
