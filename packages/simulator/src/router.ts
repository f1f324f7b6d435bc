import type { Reply } from './reply.js';

/** What a backend handler sees of a request that passed the gateway. */
export interface BackendRequest {
  /** Decoded path parameters, e.g. `{ id: '10000001' }` for `/orders/{id}`. */
  readonly params: Readonly<Record<string, string>>;
  /** The raw query string, without `?`. */
  readonly query: string;
  readonly body: Buffer | null;
}

export interface Route {
  readonly method: string;
  /** e.g. `/orders/{id}`. */
  readonly template: string;
  /** `'POST /orders'`: the key of this route in `stats().byRoute`. */
  readonly key: string;
  /** `'api-key'`: only the API key is checked (login); `'token'`: the authorizer runs too. */
  readonly auth: 'api-key' | 'token';
  readonly handle: (request: BackendRequest) => Reply;
}

export type RouteMatch =
  | { readonly kind: 'matched'; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'no-route' }
  | { readonly kind: 'bad-encoding' };

interface CompiledRoute {
  readonly route: Route;
  /** Literal segments as strings, parameters as `{ name }`. */
  readonly segments: ReadonlyArray<string | { readonly name: string }>;
}

const NO_ROUTE: RouteMatch = { kind: 'no-route' };
const BAD_ENCODING: RouteMatch = { kind: 'bad-encoding' };
const NO_PARAMS: Readonly<Record<string, string>> = Object.freeze({});

/** Matches a method and path against route templates; unknown method on a known path is no route, as in API Gateway. */
export function createRouter(routes: readonly Route[]): (method: string, path: string) => RouteMatch {
  const compiled: CompiledRoute[] = routes.map((route) => ({
    route,
    segments: route.template
      .split('/')
      .slice(1)
      .map((segment) => (segment.startsWith('{') && segment.endsWith('}') ? { name: segment.slice(1, -1) } : segment)),
  }));

  return (method, path) => {
    const rawSegments = path.split('/').slice(1);
    let segments = rawSegments;
    if (path.includes('%')) {
      try {
        segments = rawSegments.map((segment) => decodeURIComponent(segment));
      } catch {
        return BAD_ENCODING;
      }
    }
    for (const { route, segments: pattern } of compiled) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params = matchSegments(pattern, segments);
      if (params !== null) return { kind: 'matched', route, params };
    }
    return NO_ROUTE;
  };
}

function matchSegments(
  pattern: ReadonlyArray<string | { readonly name: string }>,
  segments: readonly string[],
): Readonly<Record<string, string>> | null {
  let params: Record<string, string> | null = null;
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index];
    const actual = segments[index];
    if (expected === undefined || actual === undefined) return null;
    if (typeof expected === 'string') {
      if (expected !== actual) return null;
    } else {
      if (actual === '') return null;
      params ??= {};
      params[expected.name] = actual;
    }
  }
  return params ?? NO_PARAMS;
}
