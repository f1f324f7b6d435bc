import { describe, expect, it, vi } from 'vitest';
import { createQuivoFetch, quivoInit, type QuivoFetchRequestOptions } from '../src/index.js';
import { useCaptureServer } from './support/capture-server.js';
import { rejection } from './support/rejection.js';
import { createTestClock } from './support/test-clock.js';

const capture = useCaptureServer();

describe('createQuivoFetch with no policy', () => {
  for (const value of [null, undefined]) {
    it(`says what is wrong for ${String(value)}, as a bad policy option does`, () => {
      expect(() => createQuivoFetch(value as never)).toThrow(expect.objectContaining({ name: 'QuivoError', code: 'INVALID_OPTIONS', message: expect.stringMatching(/options must be an object/) }));
    });
  }
});

describe('an input that is not a URL', () => {
  it('passes null to the underlying fetch, which rejects it as fetch(null) does', async () => {
    const underlying = vi.fn<typeof fetch>(async () => new Response('never'));
    const quivoFetch = createQuivoFetch({ baseURL: capture.current.url, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() }, { fetch: underlying });
    await quivoFetch(null as never);
    await quivoFetch(undefined as never);
    expect(underlying.mock.calls.map(([input]) => input)).toEqual([null, undefined]);
  });

  it('rejects with fetch own TypeError when sent on to the real fetch', async () => {
    const quivoFetch = createQuivoFetch({ baseURL: capture.current.url, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() }, { fetch });
    await expect(quivoFetch(null as never)).rejects.toThrow(TypeError);
  });
});

describe('per-request options', () => {
  const quivoFetch = () => createQuivoFetch({ baseURL: capture.current.url, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() });
  const bad: Array<[string, QuivoFetchRequestOptions]> = [
    ['timeoutMs "abc"', { timeoutMs: 'abc' as never }],
    ['timeoutMs "5000"', { timeoutMs: '5000' as never }],
    ['timeoutMs -1', { timeoutMs: -1 }],
    ['timeoutMs 0', { timeoutMs: 0 }],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }],
    ['timeoutMs Infinity', { timeoutMs: Infinity }],
    ['retry "no"', { retry: 'no' as never }],
    ['retryUnsafe "yes"', { retryUnsafe: 'yes' as never }],
    ['auth 0', { auth: 0 as never }],
    ['throwHttpErrors "true"', { throwHttpErrors: 'true' as never }],
  ];
  for (const [name, quivo] of bad) {
    it(`rejects ${name} with INVALID_OPTIONS and sends nothing`, async () => {
      const error = await rejection(quivoFetch()(`${capture.current.url}/stock`, quivoInit({ quivo })));
      expect(error.code).toBe('INVALID_OPTIONS');
      expect(error.message).toMatch(/^Invalid Quivo request options: /);
      expect(capture.current.requests).toEqual([]);
    });
  }

  it('accepts well-formed ones', async () => {
    const response = await quivoFetch()(`${capture.current.url}/stock`, quivoInit({ quivo: { timeoutMs: 5000, retry: false, retryUnsafe: true, auth: false, throwHttpErrors: true } }));
    expect(response.status).toBe(200);
    expect(capture.current.requests).toHaveLength(1);
  });
});
