/**
 * Whether `url` is under the configured Quivo base: same scheme, host and port, and the
 * base's path as a whole-segment prefix (`/v1` covers `/v1/orders`, not `/v10`). Credentials
 * go only where this says yes.
 */
export function isUnderBase(base: URL, url: string): boolean {
  // Fast path for the common case, a URL built from the base as written: everything after
  // `scheme://host[:port]/prefix/` is path or query, so the origin cannot differ.
  if (url.startsWith(basePrefix(base))) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin !== base.origin) return false;
  const prefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return prefix === '/' || target.pathname === base.pathname || target.pathname.startsWith(prefix);
}

const prefixes = new WeakMap<URL, string>();

/** `https://host[:port]/prefix/`, as the URL parser writes it. */
function basePrefix(base: URL): string {
  let prefix = prefixes.get(base);
  if (prefix === undefined) {
    prefix = `${base.origin}${base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`}`;
    prefixes.set(base, prefix);
  }
  return prefix;
}
