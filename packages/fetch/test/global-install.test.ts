import { createQuivoPolicy } from '@quivo-resilience/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createQuivoFetch } from '../src/index.js';
import { useCaptureServer } from './support/capture-server.js';
import { rejection } from './support/rejection.js';
import { createTestClock } from './support/test-clock.js';

const capture = useCaptureServer();
const nativeFetch = globalThis.fetch;
const loginReply = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"Token":"tok-1"}' };

beforeEach(() => {
  globalThis.fetch = nativeFetch;
});
afterEach(() => {
  globalThis.fetch = nativeFetch;
});

const seen = () => capture.current.requests.map((r) => `${r.method} ${r.url} key=${r.headers['x-api-key'] ?? '-'} auth=${r.headers['authorization'] ?? '-'}`);

describe('installed as globalThis.fetch', () => {
  it('logs in and sends through the fetch that was global when it was made, once each', async () => {
    const base = capture.current.url;
    capture.current.reply(loginReply);
    globalThis.fetch = createQuivoFetch({ baseURL: base, apiKey: 'key-123456', credentials: { username: 'u', password: 'p' }, rateLimit: false, clock: createTestClock() });

    const response = await fetch(`${base}/stock`);

    expect(response.status).toBe(200);
    expect(seen()).toEqual(['POST /login key=key-123456 auth=-', 'GET /stock key=key-123456 auth=tok-1']);
  });

  it('sends an API-key request once, through the fetch under it', async () => {
    const base = capture.current.url;
    globalThis.fetch = createQuivoFetch({ baseURL: base, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() });

    expect((await fetch(`${base}/stock`)).status).toBe(200);
    expect(seen()).toEqual(['GET /stock key=key-123456 auth=-']);
  });

  it('keeps a policy made before the install from logging in through the wrapper', async () => {
    const base = capture.current.url;
    capture.current.reply(loginReply);
    const policy = createQuivoPolicy({ baseURL: base, credentials: { username: 'u', password: 'p' }, rateLimit: false, clock: createTestClock() });
    globalThis.fetch = createQuivoFetch(policy);

    expect((await fetch(`${base}/stock`)).status).toBe(200);
    expect(seen()).toEqual(['POST /login key=- auth=-', 'GET /stock key=- auth=tok-1']);
  });

  it('sends other wrappers past the installed one, whenever they were made', async () => {
    const base = capture.current.url;
    const clock = createTestClock();
    const before = createQuivoFetch({ baseURL: base, apiKey: 'key-before', rateLimit: false, clock });
    globalThis.fetch = createQuivoFetch({ baseURL: base, apiKey: 'key-global', rateLimit: false, clock });
    const after = createQuivoFetch({ baseURL: base, apiKey: 'key-after', rateLimit: false, clock });

    await before(`${base}/a`);
    await after(`${base}/b`);

    expect(seen()).toEqual(['GET /a key=key-before auth=-', 'GET /b key=key-after auth=-']);
  });

  it('still sends through a fetch patched in later that is not a wrapper (a test interceptor)', async () => {
    const base = capture.current.url;
    const quivoFetch = createQuivoFetch({ baseURL: base, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() });
    const interceptor = vi.fn((input: RequestInfo | URL, init?: RequestInit) => nativeFetch(input, init));
    globalThis.fetch = interceptor;

    await quivoFetch(`${base}/stock`);

    expect(interceptor).toHaveBeenCalledTimes(1);
    expect(seen()).toEqual(['GET /stock key=key-123456 auth=-']);
  });

  it('rejects with INVALID_OPTIONS, sending nothing, when there was no fetch to fall back on', async () => {
    const base = capture.current.url;
    globalThis.fetch = undefined as unknown as typeof fetch;
    const quivoFetch = createQuivoFetch({ baseURL: base, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() });
    globalThis.fetch = quivoFetch;

    const error = await rejection(quivoFetch(`${base}/stock`));

    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toMatch(/options\.fetch/);
    expect(capture.current.requests).toEqual([]);
  });
});

describe('a wrapper given as options.fetch', () => {
  it('carries the attempts, but the login goes to the fetch under it', async () => {
    const base = capture.current.url;
    const clock = createTestClock();
    capture.current.reply(loginReply);
    const inner = createQuivoFetch({ baseURL: base, apiKey: 'key-inner', rateLimit: false, clock });
    const outer = createQuivoFetch({ baseURL: base, credentials: { username: 'u', password: 'p' }, rateLimit: false, clock }, { fetch: inner });

    await outer(`${base}/stock`);

    expect(seen()).toEqual(['POST /login key=- auth=-', 'GET /stock key=key-inner auth=tok-1']);
  });
});
