import type { QuivoRequestOverrides } from '@quivo-resilience/core';

/** Second argument of `createQuivoFetch`. */
export interface QuivoFetchOptions {
  /**
   * The fetch that sends each attempt (and, when `createQuivoFetch` builds the policy, the
   * login). Read at call time when unset, so a fetch patched later (test interceptors) is used.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch | undefined;
  /**
   * `true`: a final response that is not 2xx rejects with its `QuivoError` instead of
   * resolving, as ky and ofetch do. `false` keeps fetch's semantics.
   * @default false
   */
  throwHttpErrors?: boolean | undefined;
}

/** Per-request controls, read from `init.quivo`. */
export interface QuivoFetchRequestOptions extends QuivoRequestOverrides {
  /** Per-attempt timeout for this request; overrides the policy's `timeoutMs`. */
  timeoutMs?: number | undefined;
  /** Overrides the wrapper's `throwHttpErrors` for this request. */
  throwHttpErrors?: boolean | undefined;
}

/**
 * `RequestInit` plus the per-request `quivo` controls. The wrapper's type stays `typeof fetch`,
 * whose init rejects an object literal with `quivo`: pass a variable of this type, or the
 * literal through `quivoInit`.
 */
export type QuivoRequestInit = RequestInit & { quivo?: QuivoFetchRequestOptions | undefined };

/**
 * Returns `init` as it is, typed as the `RequestInit` that `typeof fetch` takes, so an object
 * literal can carry `quivo`: `quivoFetch(url, quivoInit({ method: 'POST', quivo: { retryUnsafe: true } }))`.
 */
export function quivoInit(init: QuivoRequestInit): RequestInit {
  return init;
}

/** Every default of the wrapper, in one place. */
export const QUIVO_FETCH_DEFAULTS = Object.freeze({
  /** @default false */
  throwHttpErrors: false,
  /** Longest error body read for classification, in bytes. @default 65536 */
  maxErrorBodyBytes: 64 * 1024,
  /**
   * Largest `Request` input body held for replays, in bytes: API Gateway's payload limit.
   * @default 10485760
   */
  maxRequestBodyBytes: 10 * 1024 * 1024,
  /** Redirects followed for a credentialed request, as fetch's own limit. @default 20 */
  maxRedirects: 20,
});
