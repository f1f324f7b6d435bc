import { fetchUnderWrapper, QuivoError } from '@quivo-resilience/core';

type FetchSource = () => typeof fetch;

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
    return fetchUnderWrapper(current) === undefined ? current : fallback();
  };
}

/** What stands in for a global that has become a wrapper, given the global at creation. */
function creationFetch(atCreation: typeof fetch | undefined): FetchSource {
  if (typeof atCreation !== 'function') {
    return () => {
      throw noUnderlyingFetch();
    };
  }
  // Made while another wrapper was installed: that wrapper's own fetch, resolved as it resolves it.
  return fetchUnderWrapper(atCreation) ?? (() => atCreation);
}

function noUnderlyingFetch(): QuivoError {
  return new QuivoError({
    code: 'INVALID_OPTIONS',
    message:
      'createQuivoFetch: globalThis.fetch is a quivo fetch wrapper and there was no other fetch when this wrapper was created; pass the fetch to send through as options.fetch',
  });
}
