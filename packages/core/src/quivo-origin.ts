/**
 * Whether `url` is under the configured Quivo base: same scheme, host and port, and the
 * base's path as a whole-segment prefix (`/v1` covers `/v1/orders`, not `/v10`), judged on the
 * path as the URL parser normalises it, the one the HTTP client sends. Credentials go only
 * where this says yes.
 */
export function isUnderBase(base: URL, url: string): boolean {
  // Fast path for the common case, a URL built from the base as written: everything after
  // `scheme://host[:port]/prefix/` is path or query, so the origin cannot differ, and unless
  // the path can be rewritten by the parser (`..`), it stays under the prefix.
  const prefix = basePrefix(base);
  if (url.startsWith(prefix) && !REWRITABLE_PATH.test(url.slice(prefix.length))) return true;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin !== base.origin) return false;
  const pathPrefix = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return pathPrefix === '/' || target.pathname === base.pathname || target.pathname.startsWith(pathPrefix);
}

/**
 * A path, up to its query or fragment (those are not resolved: `/orders?next=../x` is fine),
 * holding what the WHATWG parser turns into a step up, or may: a `.` or `..` segment, its dots
 * also spelled `%2e`; a backslash, which is `/` in http(s) URLs; a control character or space,
 * since tabs and newlines are dropped anywhere (`.\t.` is `..`) and trailing ones trimmed.
 * Over-matching only costs the slow path, so `%2e` anywhere counts. One anchored test, because
 * this runs on every request.
 */
const REWRITABLE_PATH = /^[^?#]*?(?:[\p{Cc} \\]|%2e|(?:^|\/)\.\.?(?:[/?#]|$))/iu;

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
