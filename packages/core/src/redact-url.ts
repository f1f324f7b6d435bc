import { LIMITS, capText } from './limits.js';
import { isSecretQueryParam } from './sensitive-names.js';

export const REDACTED = '[REDACTED]';

/** A URL cut into the parts that may hold credentials. Works on relative URLs too. */
export interface UrlParts {
  /** `https://`, `//` or empty. */
  readonly scheme: string;
  /** `user:pass` before the `@`, when there is one. */
  readonly userinfo: string | undefined;
  readonly host: string;
  readonly path: string;
  /** Without the `?`. */
  readonly query: string | undefined;
  /** Without the `#`. */
  readonly fragment: string | undefined;
}

// Splitting by hand instead of `new URL()`: relative URLs work and nothing is normalised away.
export function splitUrl(url: string): UrlParts {
  const authority = /^((?:[a-z][a-z0-9+.-]{0,31}:)?\/\/)([^/?#]*)/i.exec(url);
  const scheme = authority?.[1] ?? '';
  const hostPart = authority?.[2] ?? '';
  const at = hostPart.lastIndexOf('@');
  const rest = url.slice(scheme.length + hostPart.length);
  const hash = rest.indexOf('#');
  const beforeHash = hash < 0 ? rest : rest.slice(0, hash);
  const question = beforeHash.indexOf('?');
  return {
    scheme,
    userinfo: at < 0 ? undefined : hostPart.slice(0, at),
    host: at < 0 ? hostPart : hostPart.slice(at + 1),
    path: question < 0 ? beforeHash : beforeHash.slice(0, question),
    query: question < 0 ? undefined : beforeHash.slice(question + 1),
    fragment: hash < 0 ? undefined : rest.slice(hash + 1),
  };
}

/** `[name, raw value]` of each `name=value` in a query string or form body. */
export function queryPairs(query: string): Array<[name: string, value: string]> {
  const pairs: Array<[string, string]> = [];
  for (const part of query.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) pairs.push([decodeComponent(part.slice(0, eq)), part.slice(eq + 1)]);
  }
  return pairs;
}

export function decodeComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq > 0 && isSecretQueryParam(decodeComponent(part.slice(0, eq))) ? `${part.slice(0, eq + 1)}${REDACTED}` : part;
    })
    .join('&');
}

/**
 * The URL without credentials: userinfo (`user:pass@`) dropped, the values of credential
 * query parameters (`token`, `access_token`, `apiKey`, `password`, `X-Amz-Signature`, `code`...)
 * and of the same in a `#fragment` (OAuth implicit flow) replaced by `[REDACTED]`.
 */
export function redactUrl(url: string): string {
  const parts = splitUrl(url.length > LIMITS.url * 4 ? url.slice(0, LIMITS.url * 4) : url);
  const query = parts.query === undefined ? '' : `?${redactQuery(parts.query)}`;
  const fragment = parts.fragment === undefined ? '' : `#${parts.fragment.includes('=') ? redactQuery(parts.fragment) : parts.fragment}`;
  return capText(`${parts.scheme}${parts.host}${parts.path}${query}${fragment}`, LIMITS.url);
}
