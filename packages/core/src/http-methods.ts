/** Methods RFC 9110 (§9.2.2) makes idempotent: sending them twice has the effect of sending them once. */
const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

// An HTTP method is a token (RFC 9110 §5.6.2); anything else is not a method worth keeping.
const METHOD_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;

/**
 * True for GET, HEAD, OPTIONS, PUT and DELETE, in any case. Unknown or missing methods are
 * not idempotent, so they are never replayed by default when the outcome is unknown.
 */
export function isIdempotentMethod(method: string | undefined | null): boolean {
  return typeof method === 'string' && IDEMPOTENT_METHODS.has(method.toUpperCase());
}

/** The method upper-cased, or undefined when `method` is not an HTTP method token. */
export function normalizeMethod(method: unknown): string | undefined {
  return typeof method === 'string' && METHOD_TOKEN.test(method) ? method.toUpperCase() : undefined;
}
