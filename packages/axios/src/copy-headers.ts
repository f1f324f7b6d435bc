import { AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';

/**
 * A copy made with the headers' own class: with two copies of axios in one process (ESM and
 * CJS), the adapter that reads it expects its own AxiosHeaders, `false` values included.
 */
export function copyHeaders(headers: InternalAxiosRequestConfig['headers']): AxiosHeaders {
  const own = headers as unknown as { constructor?: unknown; [Symbol.toStringTag]?: unknown } | undefined;
  const HeadersClass = own?.[Symbol.toStringTag] === 'AxiosHeaders' && typeof own.constructor === 'function' ? (own.constructor as typeof AxiosHeaders) : AxiosHeaders;
  return new HeadersClass(headers);
}
