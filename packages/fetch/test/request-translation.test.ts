import { describe, expect, it, vi } from 'vitest';
import { createQuivoFetch, type QuivoRequestInit } from '../src/index.js';
import { useCaptureServer } from './support/capture-server.js';
import { createFakePolicy } from './support/fake-policy.js';

const capture = useCaptureServer();

describe('each attempt carries the credentials of that attempt', () => {
  it('merges them into a copy of the caller headers, which stay as they were', async () => {
    capture.current.reply({ status: 503 });
    const headers = new Headers({ accept: 'application/json', 'x-request-id': 'r-1' });
    const init = { method: 'GET', headers };
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url));
    await quivoFetch(`${capture.current.url}/orders?page=1`, init);

    expect(capture.current.requests.map((r) => [r.url, r.headers['authorization'], r.headers['x-api-key'], r.headers['x-request-id']])).toEqual([
      ['/orders?page=1', 'token-1', 'fake-key', 'r-1'],
      ['/orders?page=1', 'token-2', 'fake-key', 'r-1'],
    ]);
    expect([...headers]).toEqual([
      ['accept', 'application/json'],
      ['x-request-id', 'r-1'],
    ]);
    expect(Object.keys(init)).toEqual(['method', 'headers']);
  });

  it('never touches a caller Request, its headers, or a plain-object init', async () => {
    capture.current.reply({ status: 503 });
    const request = new Request(`${capture.current.url}/orders`, { method: 'PUT', headers: { 'x-a': '1' }, body: 'v1' });
    const init = Object.freeze({ headers: Object.freeze({ 'x-a': '2' }) });
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url));
    await quivoFetch(request, init);

    expect(capture.current.requests.map((r) => r.headers['x-a'])).toEqual(['2', '2']);
    expect([...request.headers]).toEqual([
      ['content-type', 'text/plain;charset=UTF-8'],
      ['x-a', '1'],
    ]);
    expect(request.bodyUsed).toBe(false);
    expect(request.signal.aborted).toBe(false);
  });

  it('lets the policy credentials replace a caller Authorization header', async () => {
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url));
    await quivoFetch(`${capture.current.url}/stock`, { headers: { authorization: 'stale' } });
    expect(capture.current.requests[0]!.headers['authorization']).toBe('token-1');
  });
});

describe('what the policy is told', () => {
  it('method, absolute URL, signal and the per-request overrides from init.quivo', async () => {
    const policy = createFakePolicy(capture.current.url);
    const controller = new AbortController();
    const init: QuivoRequestInit = {
      method: 'post',
      body: '{}',
      signal: controller.signal,
      quivo: { retry: false, retryUnsafe: true, auth: false, timeoutMs: 1234 },
    };
    await createQuivoFetch(policy)(new URL('/orders?x=1', capture.current.url), init);
    expect(policy.requests[0]).toEqual({
      method: 'POST',
      url: `${capture.current.url}/orders?x=1`,
      signal: controller.signal,
      timeoutMs: 1234,
      notReplayable: undefined,
      retry: false,
      retryUnsafe: true,
      auth: false,
    });
    // auth: false, so the fake policy gave no credentials.
    expect(capture.current.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it("a Request input's own signal, unless the init has one", async () => {
    const policy = createFakePolicy(capture.current.url);
    const own = new AbortController();
    const quivoFetch = createQuivoFetch(policy);
    await quivoFetch(new Request(`${capture.current.url}/a`, { signal: own.signal }));
    await quivoFetch(new Request(`${capture.current.url}/b`, { signal: own.signal }), { signal: null });
    // A Request follows the signal it was built with; aborting that one aborts the Request's.
    const followed = policy.requests[0]!.signal!;
    expect(followed.aborted).toBe(false);
    own.abort();
    expect(followed.aborted).toBe(true);
    expect(policy.requests[1]!.signal).toBeUndefined();
  });
});

describe('the underlying fetch', () => {
  it('gets the absolute URL and a fresh init per attempt for a string input, plus the init members a Request does not hold', async () => {
    capture.current.reply({ status: 503 });
    const seen: Array<{ input: unknown; init: RequestInit | undefined; self: unknown }> = [];
    const underlying = function (this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      seen.push({ input, init, self: this });
      // Node's fetch would try to use the fake dispatcher; it is only recorded here.
      const { dispatcher: _recorded, ...sendable } = init as RequestInit & { dispatcher?: unknown };
      return fetch(input, sendable);
    };
    const dispatcher = { name: 'a custom undici dispatcher' };
    const callerHeaders = new Headers({ accept: 'application/json' });
    const init = { method: 'delete', headers: callerHeaders, body: 'x', dispatcher, quivo: { retryUnsafe: true } };
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url), { fetch: underlying as typeof fetch });
    await quivoFetch(`${capture.current.url}/orders`, init as RequestInit);

    expect(seen).toHaveLength(2);
    // The fast path: no Request of ours, so the runtime builds the attempt's only one.
    expect(seen.map((s) => s.input)).toEqual([`${capture.current.url}/orders`, `${capture.current.url}/orders`]);
    expect(seen[0]!.init).not.toBe(seen[1]!.init);
    expect(seen[0]!.init!.headers).not.toBe(seen[1]!.init!.headers);
    expect(seen.map((s) => Object.keys(s.init!).sort())).toEqual(Array(2).fill(['body', 'dispatcher', 'headers', 'method', 'redirect', 'signal']));
    expect(seen.map((s) => [s.init!.method, (s.init as { dispatcher?: unknown }).dispatcher, s.init!.redirect])).toEqual(Array(2).fill(['DELETE', dispatcher, 'manual']));
    expect(seen.map((s) => (s.init!.headers as Headers).get('authorization'))).toEqual(['token-1', 'token-2']);
    // Same behaviour as before: credentials and caller headers on the wire, caller objects untouched.
    expect(capture.current.requests.map((r) => [r.method, r.headers['authorization'], r.headers['accept'], r.headers['content-type'], r.body.toString()])).toEqual([
      ['DELETE', 'token-1', 'application/json', 'text/plain;charset=UTF-8', 'x'],
      ['DELETE', 'token-2', 'application/json', 'text/plain;charset=UTF-8', 'x'],
    ]);
    expect([...callerHeaders]).toEqual([['accept', 'application/json']]);
    expect(Object.keys(init)).toEqual(['method', 'headers', 'body', 'dispatcher', 'quivo']);
    // Called unbound: a browser's fetch throws "Illegal invocation" when `this` is another object.
    expect(seen[0]!.self).toBeUndefined();
  });

  it('gets a fresh Request per attempt for a Request input, plus the init members a Request does not hold', async () => {
    capture.current.reply({ status: 503 });
    const seen: Array<{ request: Request; extras: unknown; self: unknown }> = [];
    const underlying = function (this: unknown, input: RequestInfo | URL, extras?: RequestInit) {
      seen.push({ request: input as Request, extras, self: this });
      // Node's fetch would try to use the fake dispatcher; the extras are only recorded here.
      return fetch(input);
    };
    const dispatcher = { name: 'a custom undici dispatcher' };
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url), { fetch: underlying as typeof fetch });
    await quivoFetch(new Request(`${capture.current.url}/orders`, { method: 'DELETE' }), { dispatcher, quivo: { retryUnsafe: true } } as RequestInit);

    expect(seen).toHaveLength(2);
    expect(seen[0]!.request).toBeInstanceOf(Request);
    expect(seen[0]!.request).not.toBe(seen[1]!.request);
    expect(seen.map((s) => s.extras)).toEqual([{ dispatcher }, { dispatcher }]);
    expect(seen[0]!.self).toBeUndefined();
  });

  it('is read from globalThis at call time when none is given', async () => {
    const quivoFetch = createQuivoFetch(createFakePolicy(capture.current.url));
    const stub = vi.fn(async () => new Response('stubbed'));
    vi.stubGlobal('fetch', stub);
    try {
      expect(await (await quivoFetch(`${capture.current.url}/x`)).text()).toBe('stubbed');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(stub).toHaveBeenCalledTimes(1);
  });
});

describe('requests the policy does not cover', () => {
  it('go to the underlying fetch untouched: same arguments, no credentials, no retry', async () => {
    const policy = createFakePolicy('https://api.quivo.example');
    const underlying = vi.fn(async () => new Response('elsewhere', { status: 503 }));
    const quivoFetch = createQuivoFetch(policy, { fetch: underlying });
    const init = { headers: { accept: 'text/plain' } };
    const response = await quivoFetch(`${capture.current.url}/elsewhere`, init);

    expect(response.status).toBe(503);
    expect(underlying).toHaveBeenCalledTimes(1);
    expect(underlying.mock.calls[0]).toEqual([`${capture.current.url}/elsewhere`, init]);
    expect((underlying.mock.calls[0] as unknown[])[1]).toBe(init);
    expect(policy.requests).toHaveLength(0);
  });

  it('a relative URL behaves as in fetch: Node rejects it with its own TypeError', async () => {
    const policy = createFakePolicy(capture.current.url);
    const quivoFetch = createQuivoFetch(policy);
    const error = await quivoFetch('/orders').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(policy.requests).toHaveLength(0);
  });

  it('a relative URL resolves against the document base where there is one, as in a browser', async () => {
    const policy = createFakePolicy(capture.current.url);
    vi.stubGlobal('document', { baseURI: `${capture.current.url}/app/` });
    try {
      await createQuivoFetch(policy)('orders/7');
    } finally {
      vi.unstubAllGlobals();
    }
    expect(policy.requests[0]?.url).toBe(`${capture.current.url}/app/orders/7`);
  });
});

describe('what fetch refuses', () => {
  it('rejects with the TypeError fetch gives, before anything is sent', async () => {
    const policy = createFakePolicy(capture.current.url);
    const quivoFetch = createQuivoFetch(policy);
    await expect(quivoFetch(`${capture.current.url}/orders`, { method: 'GET', body: 'x' })).rejects.toThrow(TypeError);
    await expect(quivoFetch(`${capture.current.url}/orders`, { method: 'TRACE' })).rejects.toThrow(TypeError);
    await expect(quivoFetch(`${capture.current.url}/orders`, { headers: { 'bad name': 'x' } })).rejects.toThrow(TypeError);
    await expect(quivoFetch(`${capture.current.url}/orders`, { redirect: 'bogus' as RequestRedirect })).rejects.toThrow(TypeError);
    const used = new Request(`${capture.current.url}/orders`, { method: 'POST', body: 'once' });
    await used.text();
    await expect(quivoFetch(used)).rejects.toThrow(TypeError);
    expect(policy.requests).toHaveLength(0);
    expect(capture.current.requests).toHaveLength(0);
  });

  it('rejects bad options at creation', () => {
    const policy = createFakePolicy(capture.current.url);
    expect(() => createQuivoFetch(policy, { fetch: 'nope' as unknown as typeof fetch })).toThrow(/fetch must be a function/);
    expect(() => createQuivoFetch(policy, { throwHttpErrors: 'yes' as unknown as boolean })).toThrow(/throwHttpErrors must be a boolean/);
  });
});
