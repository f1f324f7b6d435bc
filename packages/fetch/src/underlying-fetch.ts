import { QuivoError } from '@quivo-resilience/core';

/**
 * Set on every wrapper `createQuivoFetch` returns; its value returns the fetch that wrapper
 * sends through, never a wrapper. A global symbol, so a second copy of this package and
 * core's built-in login (which must not depend on this package) recognise a wrapper too.
 */
const UNDERLYING_FETCH = Symbol.for('quivo-resilience.fetch.underlying');

type FetchSource = () => typeof fetch;
type MaybeWrapper = { readonly [UNDERLYING_FETCH]?: FetchSource } | undefined;

/** Marks `wrapper` as a quivo wrapper whose real fetch is `source()`. */
export function markQuivoFetch(wrapper: typeof fetch, source: FetchSource): void {
  Object.defineProperty(wrapper, UNDERLYING_FETCH, { value: source });
}

/**
 * The fetch a wrapper sends through, read at call time so interceptors that patch
 * `globalThis.fetch` later (nock, msw) still apply. When the global is a quivo wrapper
 * (`globalThis.fetch = createQuivoFetch(...)`, this one or another), sending through it would
 * recurse or apply a second policy, so the fetch that was global at creation is used instead.
 * A `fetch` the caller chose is used as it is, even a wrapper: that stacking is deliberate.
 */
export function underlyingFetchSource(customFetch: typeof fetch | undefined): FetchSource {
  if (customFetch !== undefined) return () => customFetch;
  const fallback = creationFetch(globalThis.fetch as typeof fetch | undefined);
  return () => {
    const current = globalThis.fetch;
    // The only check on the happy path: one property read on the global fetch.
    return (current as MaybeWrapper)?.[UNDERLYING_FETCH] === undefined ? current : fallback();
  };
}

/**
 * The fetch for a login `createQuivoFetch` gives its policy: what the wrapper sends through,
 * but never a wrapper, so a login is never itself retried, refreshed or sent to itself.
 */
export function loginFetch(customFetch: typeof fetch | undefined, source: FetchSource): typeof fetch {
  if (customFetch === undefined) return (input, init) => source()(input, init);
  const wrapped = (customFetch as MaybeWrapper)?.[UNDERLYING_FETCH];
  return wrapped === undefined ? customFetch : (input, init) => wrapped()(input, init);
}

/** What stands in for a global that has become a wrapper, given the global at creation. */
function creationFetch(atCreation: typeof fetch | undefined): FetchSource {
  if (typeof atCreation !== 'function') {
    return () => {
      throw noUnderlyingFetch();
    };
  }
  // Made while another wrapper was installed: that wrapper's own fetch, resolved as it resolves it.
  return (atCreation as MaybeWrapper)?.[UNDERLYING_FETCH] ?? (() => atCreation);
}

function noUnderlyingFetch(): QuivoError {
  return new QuivoError({
    code: 'INVALID_OPTIONS',
    message:
      'createQuivoFetch: globalThis.fetch is a quivo fetch wrapper and there was no other fetch when this wrapper was created; pass the fetch to send through as options.fetch',
    source: 'client',
    retryable: false,
    transient: false,
    outcome: 'not-executed',
  });
}
