import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QuivoErrorCode } from './error-types.js';
import { QuivoError, isQuivoError } from './quivo-error.js';
import { toQuivoError } from './to-quivo-error.js';

const CODES: readonly QuivoErrorCode[] = [
  'BAD_REQUEST', 'TOKEN_EXPIRED', 'UNAUTHORIZED', 'INVALID_API_KEY', 'ACCESS_DENIED', 'ROUTE_NOT_FOUND', 'EXPIRED_SIGNATURE',
  'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'CONFLICT', 'REQUEST_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'THROTTLED', 'QUOTA_EXCEEDED',
  'INTERNAL', 'NOT_IMPLEMENTED', 'BAD_GATEWAY', 'SERVICE_UNAVAILABLE', 'INTEGRATION_TIMEOUT', 'NETWORK', 'TIMEOUT', 'ABORTED',
  'AUTH_FAILED', 'NOT_REPLAYABLE', 'INVALID_OPTIONS', 'LIMITER_FAILED', 'HTTP_ERROR',
];

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('');
/** A secret that cannot be mistaken for an ordinary word of a message. */
const secretArb = fc.string({ unit: fc.constantFrom(...ALNUM), minLength: 12, maxLength: 40 }).map((tail) => `S3CRET-${tail}`);

const statusArb = fc.oneof(
  fc.integer({ min: 100, max: 599 }),
  fc.constantFrom(undefined, 0, -1, 3.5, Number.NaN, 1e9),
);

const headerNameArb = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('x-amzn-ErrorType', 'X-AMZN-REQUESTID', 'apigw-requestid', 'content-type'));
const headerValueArb = fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), fc.constant(null), fc.constant(undefined), fc.integer());
const junkHeadersArb = fc.dictionary(headerNameArb, headerValueArb, { maxKeys: 6 });

const bodyArb = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom('<html><head><title>Oops</title></head></html>', '{"message":null}', '{"Message":"User is not authorized"}'),
);

type Plant = 'authorization' | 'api-key' | 'query' | 'userinfo' | 'json-body' | 'object-body' | 'cookie' | 'cause-config';
const plantArb = fc.constantFrom<Plant>('authorization', 'api-key', 'query', 'userinfo', 'json-body', 'object-body', 'cookie', 'cause-config');

type Container = 'object' | 'Headers' | 'Map' | 'pairs';
/** The same headers in the containers clients use; entries `Headers` refuses are left out. */
function contain(headers: Record<string, unknown>, container: Container): unknown {
  if (container === 'object') return headers;
  const pairs = Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => [name, String(v)] as const) : value == null ? [] : [[name, String(value)] as const]));
  if (container === 'Map') return new Map(pairs);
  if (container === 'pairs') return pairs;
  const real = new Headers();
  for (const [name, value] of pairs) {
    try {
      real.append(name, value);
    } catch {
      // Not a valid header name or value for fetch.
    }
  }
  return real;
}
const caseArb = fc.constantFrom((s: string) => s, (s: string) => s.toUpperCase(), (s: string) => s.toLowerCase());

/** An input with `secret` planted in one credential place, and sometimes echoed in the body's message. */
const inputArb = fc
  .record({
    status: statusArb,
    statusText: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    headers: junkHeadersArb,
    body: bodyArb,
    method: fc.option(fc.constantFrom('GET', 'post', 'PATCH', 'delete', 'not a method', ''), { nil: undefined }),
    path: fc.webPath(),
    secret: secretArb,
    plant: plantArb,
    param: fc.constantFrom('token', 'access_token', 'id_token', 'apiKey', 'api_key', 'key', 'password', 'secret', 'X-Amz-Signature', 'X-Amz-Security-Token', 'code'),
    bodyKey: fc.constantFrom('password', 'token', 'Token', 'apiKey', 'secret', 'authorization'),
    headerCase: caseArb,
    echo: fc.boolean(),
    withCause: fc.boolean(),
    container: fc.constantFrom<Container>('object', 'Headers', 'Map', 'pairs'),
  })
  .map((x) => {
    const headers: Record<string, unknown> = { ...x.headers };
    let url = `https://api.quivo.com${x.path}`;
    let body: unknown = x.body;
    if (x.plant === 'authorization') headers[x.headerCase('Authorization')] = `Bearer ${x.secret}`;
    if (x.plant === 'api-key') headers[x.headerCase('X-Api-Key')] = x.secret;
    if (x.plant === 'cookie') headers[x.headerCase('Set-Cookie')] = [`session=${x.secret}; Path=/; HttpOnly`];
    if (x.plant === 'query') url = `${url}?page=2&${x.param}=${x.secret}`;
    if (x.plant === 'userinfo') url = `https://quivo-user:${x.secret}@api.quivo.com${x.path}`;
    if (x.plant === 'object-body') body = { message: x.echo ? `rejected ${x.secret}` : 'rejected', nested: { [x.bodyKey]: x.secret } };
    if (x.plant === 'json-body') body = JSON.stringify({ [x.bodyKey]: x.secret, message: x.echo ? `bad ${x.secret}` : 'bad' });
    else if (x.echo && x.plant !== 'object-body') body = `upstream said: ${x.secret} ${url}`;
    // An axios-like error: its config holds the request headers and URL, with the same secret.
    const cause =
      x.withCause || x.plant === 'cause-config'
        ? Object.assign(new Error(`Request to ${url} failed${x.echo ? ` with ${x.secret}` : ''}`), { isAxiosError: true, config: { url, headers: { Authorization: `Bearer ${x.secret}` } } })
        : undefined;
    const input = { status: x.status as number | undefined, statusText: x.statusText, headers: contain(headers, x.container) as Headers, body, method: x.method, url, cause };
    return { secret: x.secret, input };
  });

describe('toQuivoError properties', () => {
  it('never throws, always classifies, and never leaks a planted secret', () => {
    fc.assert(
      fc.property(inputArb, ({ secret, input }) => {
        const error = toQuivoError(input);
        expect(isQuivoError(error)).toBe(true);
        expect(CODES).toContain(error.code);
        expect(error.message.length).toBeGreaterThan(0);
        expect(error.message.length).toBeLessThanOrEqual(1024);
        expect(error.cause).toBe(input.cause);
        for (const shown of [error.message, error.url ?? '', JSON.stringify(error), inspect(error, { depth: 10 })]) {
          expect(shown).not.toContain(secret);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary input objects, including hostile ones', () => {
    const hostile = new Proxy({}, { get: () => { throw new Error('trap'); }, ownKeys: () => { throw new Error('trap'); } });
    const { proxy: revoked, revoke } = Proxy.revocable({}, {});
    revoke();
    const cyclic: Record<string, unknown> = { message: 'loop' };
    cyclic['self'] = cyclic;
    const specials: readonly unknown[] = [hostile, revoked, cyclic, Object.create(null), [cyclic]];
    // fast-check inspects generated values, so the hostile ones are picked inside the property.
    const weird = fc.tuple(fc.anything(), fc.nat(specials.length * 2)).map(([any, pick]) => ({ any, pick }));
    const resolve = ({ any, pick }: { any: unknown; pick: number }): unknown => (pick < specials.length ? specials[pick] : any);
    fc.assert(
      fc.property(weird, weird, weird, weird, (...picked) => {
        const [input, headers, body, cause] = picked.map(resolve);
        for (const candidate of [input, { status: 500, headers, body, cause }, { cause }, { status: 400, body, headers: [headers] }]) {
          const error = toQuivoError(candidate as never);
          expect(error).toBeInstanceOf(QuivoError);
          expect(error.message.length).toBeGreaterThan(0);
          expect(() => JSON.stringify(error) + inspect(error)).not.toThrow();
        }
      }),
      { numRuns: 200 },
    );
  });

  it('getters that throw do not stop the classification', () => {
    const input = { status: 429, get headers(): never { throw new Error('no headers'); }, get body(): never { throw new Error('no body'); } };
    expect(toQuivoError(input)).toMatchObject({ code: 'THROTTLED', status: 429 });
  });
});
