import { describe, expect, it, vi } from 'vitest';
import { isRedirectStatus, redirectStep, type RedirectStatus, type RedirectStepInput } from './redirect-step.js';

const BASE = 'https://api.quivo.test';

/** A first redirect of a POST with a replayable body, answered under the Quivo base. */
function step(overrides: Partial<RedirectStepInput> = {}) {
  return redirectStep({
    status: 302,
    method: 'POST',
    location: '/orders/v2',
    currentUrl: `${BASE}/orders`,
    carrying: true,
    mayCarryCredentials: (url) => url.startsWith(`${BASE}/`),
    hops: 0,
    maxRedirects: 20,
    hasBody: true,
    notReplayable: undefined,
    ...overrides,
  });
}

describe('isRedirectStatus', () => {
  it('is true for 301, 302, 303, 307 and 308 only', () => {
    for (const status of [301, 302, 303, 307, 308]) expect(isRedirectStatus(status)).toBe(true);
    for (const status of [0, 200, 300, 304, 305, 306, 309, 404]) expect(isRedirectStatus(status)).toBe(false);
  });
});

describe('redirectStep: the method and the body', () => {
  it.each<[RedirectStatus, string, string, boolean]>([
    [301, 'POST', 'GET', true],
    [302, 'POST', 'GET', true],
    [303, 'POST', 'GET', true],
    [307, 'POST', 'POST', false],
    [308, 'POST', 'POST', false],
    [301, 'PUT', 'PUT', false],
    [302, 'PATCH', 'PATCH', false],
    [303, 'PUT', 'GET', true],
    [303, 'DELETE', 'GET', true],
    [303, 'GET', 'GET', false],
    [303, 'HEAD', 'HEAD', false],
    [301, 'HEAD', 'HEAD', false],
    [307, 'DELETE', 'DELETE', false],
  ])('a %i after a %s is followed with %s (drops the body: %s)', (status, method, next, dropsBody) => {
    expect(step({ status, method })).toMatchObject({ kind: 'follow', method: next, dropsBody });
  });

  it('reads a lower-case method (axios) the same and answers in lower case', () => {
    expect(step({ status: 302, method: 'post' })).toMatchObject({ method: 'get', dropsBody: true });
    expect(step({ status: 303, method: 'head' })).toMatchObject({ method: 'head', dropsBody: false });
    expect(step({ status: 303, method: 'patch' })).toMatchObject({ method: 'get', dropsBody: true });
    expect(step({ status: 307, method: 'put' })).toMatchObject({ method: 'put', dropsBody: false });
  });
});

describe('redirectStep: the target', () => {
  it('resolves a relative Location against the current URL', () => {
    const hop = step({ location: '../labels/7?size=a6', currentUrl: `${BASE}/orders/7/label` });
    expect(hop).toMatchObject({ kind: 'follow' });
    expect(hop.kind === 'follow' && hop.target.href).toBe(`${BASE}/orders/labels/7?size=a6`);
  });

  it('takes an absolute Location as it is', () => {
    const hop = step({ location: 'http://cdn.example.test:8080/file?id=1' });
    expect(hop.kind === 'follow' && hop.target.href).toBe('http://cdn.example.test:8080/file?id=1');
  });

  it('accepts the current URL as a URL object', () => {
    const hop = step({ location: '/v2', currentUrl: new URL(`${BASE}/v1`) });
    expect(hop.kind === 'follow' && hop.target.href).toBe(`${BASE}/v2`);
  });

  it('refuses a Location that is not http(s), naming its protocol', () => {
    expect(step({ location: 'file:///etc/passwd' })).toEqual({ kind: 'bad-location', location: 'file:///etc/passwd', protocol: 'file:' });
    expect(step({ location: 'javascript:alert(1)' })).toEqual({ kind: 'bad-location', location: 'javascript:alert(1)', protocol: 'javascript:' });
  });

  it('refuses a Location that does not parse, with no protocol', () => {
    expect(step({ location: 'http://[::1', currentUrl: `${BASE}/orders` })).toEqual({ kind: 'bad-location', location: 'http://[::1', protocol: undefined });
  });
});

describe('redirectStep: the credentials', () => {
  it('drops Authorization when the origin changes, and only then', () => {
    expect(step({ location: 'https://other.example.test/landing' })).toMatchObject({ dropsAuthorization: true });
    expect(step({ location: 'http://api.quivo.test/orders' })).toMatchObject({ dropsAuthorization: true });
    expect(step({ location: 'https://api.quivo.test:8443/orders' })).toMatchObject({ dropsAuthorization: true });
    expect(step({ location: '/elsewhere' })).toMatchObject({ dropsAuthorization: false });
    expect(step({ location: `${BASE}/orders/8` })).toMatchObject({ dropsAuthorization: false });
  });

  it('keeps carrying them to a target under the base, asking with its full URL', () => {
    const mayCarryCredentials = vi.fn((url: string) => url.startsWith(`${BASE}/`));
    expect(step({ location: '/orders/8?x=1', mayCarryCredentials })).toMatchObject({ carrying: true });
    expect(mayCarryCredentials).toHaveBeenCalledWith(`${BASE}/orders/8?x=1`);
  });

  it('stops carrying them at a target outside the base', () => {
    expect(step({ location: 'https://other.example.test/landing' })).toMatchObject({ carrying: false, dropsAuthorization: true });
  });

  it('does not carry them again once the chain has left the base, without asking', () => {
    const mayCarryCredentials = vi.fn(() => true);
    const back = step({ carrying: false, location: `${BASE}/orders`, currentUrl: 'https://other.example.test/bounce', hops: 1, mayCarryCredentials });
    expect(back).toMatchObject({ kind: 'follow', carrying: false, dropsAuthorization: true });
    expect(mayCarryCredentials).not.toHaveBeenCalled();
  });
});

describe('redirectStep: refusals', () => {
  it('refuses the hop past the limit and follows the one before', () => {
    expect(step({ hops: 19, maxRedirects: 20 })).toMatchObject({ kind: 'follow' });
    expect(step({ hops: 20, maxRedirects: 20 })).toEqual({ kind: 'too-many', maxRedirects: 20 });
    expect(step({ hops: 0, maxRedirects: 0 })).toEqual({ kind: 'too-many', maxRedirects: 0 });
  });

  it('counts the hops before it looks at the Location', () => {
    expect(step({ hops: 5, maxRedirects: 5, location: 'file:///x' })).toEqual({ kind: 'too-many', maxRedirects: 5 });
  });

  it.each<RedirectStatus>([307, 308])('refuses a %i that would send a one-shot body again', (status) => {
    expect(step({ status, notReplayable: 'the body is a ReadableStream' })).toEqual({ kind: 'not-replayable', status, reason: 'the body is a ReadableStream' });
  });

  it.each<[RedirectStatus, string]>([
    [303, 'POST'],
    [302, 'POST'],
    [301, 'POST'],
  ])('follows a %i after a %s with a one-shot body, which it drops', (status, method) => {
    expect(step({ status, method, notReplayable: 'the body is a ReadableStream' })).toMatchObject({ kind: 'follow', method: 'GET', dropsBody: true });
  });

  it('follows a 307 with nothing to send again when the request had no body', () => {
    expect(step({ status: 307, method: 'GET', hasBody: false, notReplayable: 'the body is a ReadableStream' })).toMatchObject({ kind: 'follow', method: 'GET', dropsBody: false });
  });

  it('refuses a bad Location before a one-shot body', () => {
    expect(step({ status: 307, location: 'ftp://x.test/', notReplayable: 'the body is a ReadableStream' })).toEqual({ kind: 'bad-location', location: 'ftp://x.test/', protocol: 'ftp:' });
  });
});

describe('redirectStep: a whole hop', () => {
  it('answers every field for a cross-origin 303 after a POST', () => {
    expect(step({ status: 303, location: 'https://other.example.test/done' })).toEqual({
      kind: 'follow',
      target: new URL('https://other.example.test/done'),
      method: 'GET',
      dropsBody: true,
      dropsAuthorization: true,
      carrying: false,
    });
  });
});
