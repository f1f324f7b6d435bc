/**
 * The absolute URL `fetch(input)` would request, or undefined when it cannot be known without
 * the runtime's own rules. A relative URL resolves against the document's base URL where there
 * is one (browsers), as fetch does; elsewhere (Node) it stays unresolved and the call passes
 * through to fetch, which rejects it as it always does.
 */
export function resolveRequestURL(input: RequestInfo | URL): string | undefined {
  if (typeof input === 'string') return parseURL(input);
  if (input instanceof URL) return input.href;
  if (typeof Request !== 'undefined' && input instanceof Request) return input.url;
  // fetch stringifies null and undefined too ("null" fails to parse where there is no document).
  if (input === null || input === undefined) return parseURL(String(input));
  // A URL or Request from another realm or polyfill: fetch stringifies what it does not know.
  const href = (input as { href?: unknown; url?: unknown }).href ?? (input as { url?: unknown }).url;
  return typeof href === 'string' ? parseURL(href) : parseURL(String(input));
}

function parseURL(value: string): string | undefined {
  const base = documentBaseURL();
  try {
    return new URL(value, base).href;
  } catch {
    return undefined;
  }
}

function documentBaseURL(): string | undefined {
  const scope = globalThis as { document?: { baseURI?: unknown }; location?: { href?: unknown } };
  const base = scope.document?.baseURI ?? scope.location?.href;
  return typeof base === 'string' ? base : undefined;
}
