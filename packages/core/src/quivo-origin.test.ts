import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUnderBase } from './quivo-origin.js';

const ORIGIN = 'http://127.0.0.1:8080';
const base = new URL(`${ORIGIN}/quivo`);

describe('isUnderBase', () => {
  it.each([
    '/quivo',
    '/quivo/',
    '/quivo/orders',
    '/quivo/orders?next=../x',
    '/quivo/orders?next=%2e%2e/x#../y',
    '/quivo/a.b/c',
    '/quivo/.well-known',
    '/quivo/..well',
    '/quivo/orders/../items',
    '/quivo/orders/%2e%2e/items',
    '/quivo/./orders',
  ])('counts %s as under /quivo', (path) => {
    expect(isUnderBase(base, `${ORIGIN}${path}`)).toBe(true);
  });

  // Each of these is a URL the HTTP client sends to /other/steal (or /other): the WHATWG parser
  // resolves the dot segments, however they are spelled, before the request goes out.
  it.each([
    '/quivo/../other/steal',
    '/quivo/..',
    '/quivo/..?x',
    '/quivo/..#x',
    '/quivo/%2e%2e?x=/quivo/',
    '/quivo/%2e%2e/other/steal',
    '/quivo/%2E%2E/other/steal',
    '/quivo/.%2e/other/steal',
    '/quivo/%2e./other/steal',
    '/quivo/orders/%2e%2e/%2e%2e/other/steal',
    '/quivo/orders/../../other/steal',
    '/quivo\\..\\other\\steal',
    '/quivo/..\\other/steal',
    '/quivo/orders\\..\\..\\other\\steal',
    '/quivo/.\t./other/steal',
    '/quivo/.\n./other/steal',
    '/quivo/.. ',
  ])('does not count %j as under /quivo', (path) => {
    const url = `${ORIGIN}${path}`;
    expect(new URL(url).pathname.startsWith('/quivo')).toBe(false);
    expect(isUnderBase(base, url)).toBe(false);
  });

  it('keeps the whole-segment rule', () => {
    const v1 = new URL(`${ORIGIN}/v1`);
    expect(isUnderBase(v1, `${ORIGIN}/v1/orders`)).toBe(true);
    expect(isUnderBase(v1, `${ORIGIN}/v10`)).toBe(false);
    expect(isUnderBase(v1, `${ORIGIN}/v10/orders`)).toBe(false);
  });

  it('compares origins, not spellings', () => {
    expect(isUnderBase(base, 'http://127.0.0.1:8081/quivo/orders')).toBe(false);
    expect(isUnderBase(base, 'https://127.0.0.1:8080/quivo/orders')).toBe(false);
    expect(isUnderBase(base, 'http://127.0.0.1:8080@evil.example/quivo/orders')).toBe(false);
    const https = new URL('https://API.Quivo.test:443/quivo');
    expect(isUnderBase(https, 'https://api.quivo.test/quivo/orders')).toBe(true);
    expect(isUnderBase(https, 'https://API.QUIVO.TEST:443/quivo/orders')).toBe(true);
    expect(isUnderBase(https, 'https://api.quivo.test:8443/quivo/orders')).toBe(false);
  });

  it('keeps a base without a path covering its whole origin', () => {
    const root = new URL(ORIGIN);
    expect(isUnderBase(root, `${ORIGIN}/orders`)).toBe(true);
    expect(isUnderBase(root, `${ORIGIN}/../x`)).toBe(true);
    expect(isUnderBase(root, `${ORIGIN}/%2e%2e/x`)).toBe(true);
    expect(isUnderBase(root, 'http://127.0.0.1:8081/orders')).toBe(false);
  });

  it('answers as the URL parser would, whatever the spelling', () => {
    // The reference: normalise first, then compare. The fast path must never say yes where it says no.
    const underNormalised = (url: string): boolean => {
      const target = URL.canParse(url) ? new URL(url) : undefined;
      return target?.origin === base.origin && (target.pathname === '/quivo' || target.pathname.startsWith('/quivo/'));
    };
    const piece = fc.constantFrom('/', '\\', '.', '..', '%2e', '%2E', '.%2e', 'a', 'quivo', '?', '#', '\t', '\n', ' ', '%2f');
    const suffix = fc.array(piece, { maxLength: 10 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(fc.constantFrom(`${ORIGIN}/quivo`, `${ORIGIN}/quivo/`, `${ORIGIN}/quivo/orders`), suffix, (start, rest) => {
        const url = start + rest;
        expect(isUnderBase(base, url)).toBe(underNormalised(url));
      }),
      { numRuns: 5000 },
    );
  });

  it('says no to what is not a URL', () => {
    expect(isUnderBase(base, 'not a url')).toBe(false);
    expect(isUnderBase(base, '/quivo/orders')).toBe(false);
  });
});
