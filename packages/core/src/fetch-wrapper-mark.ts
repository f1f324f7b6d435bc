/**
 * The mark on a fetch wrapper of ours (`createQuivoFetch`): its value returns the fetch the
 * wrapper sends through, never a wrapper. A global symbol, so a second copy of the packages
 * recognises a wrapper too. Core reads it for the built-in login, which must never go through
 * a wrapper; the fetch adapter sets it and reads it to never send through one.
 */
const UNDERLYING_FETCH = Symbol.for('quivo-resilience.fetch.underlying');

type FetchSource = () => typeof fetch;

/** Marks `wrapper` as a wrapper of ours whose real fetch is `source()`. */
export function markFetchWrapper(wrapper: typeof fetch, source: FetchSource): void {
  Object.defineProperty(wrapper, UNDERLYING_FETCH, { value: source });
}

/** What a wrapper of ours sends through, or undefined for any other fetch. */
export function fetchUnderWrapper(fetch: typeof globalThis.fetch | undefined): FetchSource | undefined {
  const source = (fetch as { readonly [UNDERLYING_FETCH]?: unknown } | undefined)?.[UNDERLYING_FETCH];
  return typeof source === 'function' ? (source as FetchSource) : undefined;
}
