/**
 * Whether `url` is under the configured Quivo base: same scheme, host and port, and the
 * base's path as a whole-segment prefix (`/v1` covers `/v1/orders`, not `/v10`). Credentials
 * go only where this says yes.
 */
export function isUnderBase(base: URL, url: string): boolean {
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
