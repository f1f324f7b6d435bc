import type { InternalAxiosRequestConfig } from 'axios';

/**
 * What an attempt's AxiosError (a refused connection, our timeout or abort as axios's
 * `CanceledError`, a reset) becomes before it is anyone's `cause`: it carries the caller's
 * config instead of the attempt's, whose headers hold the token and the API key, and its raw
 * request stays readable but not enumerable (see `hideRequest`). Changed in place: the adapter
 * made this error for our attempt and nobody else holds it, and a copy would lose its class
 * (`CanceledError`), its stack and its own cause. `callerConfig` is asked only for an
 * AxiosError, so a copy it makes costs nothing on other paths.
 */
export function asCallerError(thrown: unknown, callerConfig: () => InternalAxiosRequestConfig): unknown {
  if (typeof thrown !== 'object' || thrown === null || (thrown as { isAxiosError?: unknown }).isAxiosError !== true) return thrown;
  const error = thrown as { config?: unknown; response?: unknown };
  const config = callerConfig();
  if (error.config !== undefined) error.config = config;
  hideRequest(error);
  if (typeof error.response === 'object' && error.response !== null) {
    error.response = withHiddenRequest({ ...error.response, config }, (error.response as { request?: unknown }).request);
  }
  return thrown;
}

/**
 * Keeps `target.request` (Node's ClientRequest holds the headers it sent, `Authorization` and
 * `X-Api-Key` included, in `_header`; a fetch Request holds them too) for code that reads it,
 * as axios users do (`if (err.request)`), but not enumerable: `JSON.stringify`, `util.inspect`
 * and the error serialisers of Sentry and pino, which walk enumerable keys, never reach it.
 */
export function hideRequest(target: object): void {
  const own = Object.getOwnPropertyDescriptor(target, 'request');
  if (own === undefined || !own.enumerable) return;
  Object.defineProperty(target, 'request', { value: own.value as unknown, writable: true, enumerable: false, configurable: true });
}

/** `target` with `request` set, not enumerable (a spread copy drops such a property). */
export function withHiddenRequest<T extends object>(target: T, request: unknown): T {
  if (request !== undefined) Object.defineProperty(target, 'request', { value: request, writable: true, enumerable: false, configurable: true });
  return target;
}
