import { createQuivoPolicy, type RetryEvent } from '@quivo-resilience/core';
import { describe, expect, it } from 'vitest';
import { createQuivoFetch, QUIVO_FETCH_DEFAULTS, quivoInit } from '../src/index.js';
import { useCaptureServer } from './support/capture-server.js';
import { createFakePolicy } from './support/fake-policy.js';
import { until } from './support/simulated-quivo.js';
import { createTestClock } from './support/test-clock.js';
import { rejection } from './support/rejection.js';

// Pure translation: a fake policy replays every 503 at once, a loopback server records the
// exact bytes of each attempt.
const capture = useCaptureServer();

function quivoFetchReplayingOnce() {
  capture.current.reply({ status: 503, body: 'Service Unavailable' });
  return createQuivoFetch(createFakePolicy(capture.current.url));
}

function expectIdenticalAttempts() {
  expect(capture.current.requests).toHaveLength(2);
  const [first, second] = capture.current.requests;
  expect(second!.body.equals(first!.body)).toBe(true);
  expect(second!.headers['content-type']).toBe(first!.headers['content-type']);
  return first!;
}

describe('replayed bodies are byte-identical', () => {
  const file = () => new Blob(['line one\nline two\n'], { type: 'text/csv' });

  it.each([
    ['a string', () => '{"positions":[{"sku":"A-1","qty":2}]}', '{"positions":[{"sku":"A-1","qty":2}]}', 'text/plain;charset=UTF-8'],
    ['a Uint8Array', () => new Uint8Array([0, 1, 2, 253, 254, 255]), '\u0000\u0001\u0002\u00fd\u00fe\u00ff', undefined],
    ['an ArrayBuffer', () => new Uint8Array([7, 8, 9]).buffer, '\u0007\u0008\u0009', undefined],
    ['a DataView', () => new DataView(new Uint8Array([5, 6, 7, 8]).buffer, 1, 2), '\u0006\u0007', undefined],
    ['a Blob', file, 'line one\nline two\n', 'text/csv'],
    ['URLSearchParams', () => new URLSearchParams({ sku: 'A 1', qty: '2' }), 'sku=A+1&qty=2', 'application/x-www-form-urlencoded;charset=UTF-8'],
  ])('%s', async (_name, makeBody, expectedText, expectedType) => {
    const quivoFetch = quivoFetchReplayingOnce();
    const response = await quivoFetch(`${capture.current.url}/orders`, { method: 'POST', body: makeBody() });
    expect(response.status).toBe(200);
    const first = expectIdenticalAttempts();
    expect(first.body.toString('latin1')).toBe(expectedText);
    expect(first.headers['content-type']).toBe(expectedType);
  });

  it('FormData keeps the multipart boundary of its first serialisation', async () => {
    const form = new FormData();
    form.append('reference', 'RMA-42');
    form.append('manifest', file(), 'manifest.csv');
    const quivoFetch = quivoFetchReplayingOnce();
    await quivoFetch(`${capture.current.url}/returns`, { method: 'POST', body: form });
    const first = expectIdenticalAttempts();
    const boundary = /boundary=(.+)$/.exec(first.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    const text = first.body.toString('utf8');
    expect(text).toContain(`--${boundary}`);
    expect(text).toContain('filename="manifest.csv"');
    expect(text).toContain('line one\nline two\n');
  });

  it('a Uint8Array the caller changes after the call does not change the replay', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const quivoFetch = quivoFetchReplayingOnce();
    const pending = quivoFetch(`${capture.current.url}/orders`, { method: 'PUT', body: bytes });
    bytes.fill(9);
    await pending;
    expectIdenticalAttempts();
    expect([...capture.current.requests[1]!.body]).toEqual([1, 2, 3]);
  });

  it('a Request input with a body: both attempts get its bytes, and the caller can still read it', async () => {
    const request = new Request(`${capture.current.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trace': 'abc' },
      body: JSON.stringify({ orderIdentifier: 'o-1', positions: [] }),
    });
    const quivoFetch = quivoFetchReplayingOnce();
    const response = await quivoFetch(request);
    expect(response.status).toBe(200);
    const first = expectIdenticalAttempts();
    expect(first.body.toString()).toBe('{"orderIdentifier":"o-1","positions":[]}');
    expect(first.headers['x-trace']).toBe('abc');
    expect(request.bodyUsed).toBe(false);
    expect(await request.text()).toBe('{"orderIdentifier":"o-1","positions":[]}');
  });

  it('a Request input whose body is a stream is read once and replayed from those bytes', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('part-1;'));
        controller.enqueue(new TextEncoder().encode('part-2'));
        controller.close();
      },
    });
    const request = new Request(`${capture.current.url}/inbounds`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    const quivoFetch = quivoFetchReplayingOnce();
    await quivoFetch(request);
    expect(expectIdenticalAttempts().body.toString()).toBe('part-1;part-2');
  });

  it('a Request input with an init body sends the init body, as fetch does', async () => {
    const request = new Request(`${capture.current.url}/orders`, { method: 'POST', body: 'from the request' });
    const quivoFetch = quivoFetchReplayingOnce();
    await quivoFetch(request, { body: 'from the init' });
    expect(expectIdenticalAttempts().body.toString()).toBe('from the init');
    expect(request.bodyUsed).toBe(false);
  });
});

describe('stream bodies', () => {
  it('are sent once and marked not replayable', async () => {
    const policy = createFakePolicy(capture.current.url);
    capture.current.reply({ status: 503, body: 'Service Unavailable' });
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('streamed upload'));
        controller.close();
      },
    });
    const quivoFetch = createQuivoFetch(policy);
    const response = await quivoFetch(`${capture.current.url}/inbounds`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(503);
    expect(capture.current.requests).toHaveLength(1);
    expect(capture.current.requests[0]!.body.toString()).toBe('streamed upload');
    expect(policy.requests[0]!.notReplayable).toBe('request body is a stream');
  });
});

describe('through the real policy', () => {
  // A throttled answer is retried for any method; the replay must carry the same bytes.
  const throttled = { status: 429, headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException' }, body: '{"message":"Too Many Requests"}' };

  it('a Request with a FormData body is replayed byte-identical after a 429, with the same credentials', async () => {
    const clock = createTestClock();
    const policy = createQuivoPolicy({ baseURL: capture.current.url, apiKey: 'real-key', rateLimit: false, clock });
    const retries: RetryEvent[] = [];
    policy.onRetry((event) => retries.push(event));
    const form = new FormData();
    form.append('reference', 'INB-7');
    form.append('packingList', new Blob([new Uint8Array([0, 255, 1, 254])], { type: 'application/octet-stream' }), 'list.bin');
    const request = new Request(`${capture.current.url}/inbounds`, { method: 'POST', body: form });
    capture.current.reply(throttled);

    const pending = createQuivoFetch(policy)(request);
    await until(() => retries.length === 1, 'the retry');
    await clock.advance(retries[0]!.delayMs);
    expect((await pending).status).toBe(200);
    const first = expectIdenticalAttempts();
    expect(first.headers['x-api-key']).toBe('real-key');
    expect(capture.current.requests[1]!.headers['x-api-key']).toBe('real-key');
    expect(first.body.includes(Buffer.from([0, 255, 1, 254]))).toBe(true);
    expect(request.bodyUsed).toBe(false);
  });
});

describe('a Request input whose body is a stream', () => {
  /** A PUT Request whose body stream delivers `chunks`, then never ends; `pulled` turns true at its first read. */
  function streamingRequest(chunks: Uint8Array[] = []) {
    const state = { pulled: false };
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        state.pulled = true;
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        return next ? undefined : new Promise<void>(() => {});
      },
    });
    const request = new Request(`${capture.current.url}/inbounds/7/file`, { method: 'PUT', body, duplex: 'half' } as RequestInit);
    return { request, state };
  }


  function realPolicy(retry: { maxElapsedMs?: number } = {}) {
    const clock = createTestClock();
    const policy = createQuivoPolicy({ baseURL: capture.current.url, apiKey: 'real-key', rateLimit: false, clock, retry });
    return { clock, policy, quivoFetch: createQuivoFetch(policy) };
  }

  it('that never ends: the caller abort ends the call at once, and nothing is sent', async () => {
    const { quivoFetch } = realPolicy();
    const { request, state } = streamingRequest([new TextEncoder().encode('row-1\n')]);
    const controller = new AbortController();

    const pending = rejection(quivoFetch(request, { signal: controller.signal }));
    await until(() => state.pulled, 'the body to be read');
    const reason = new Error('user cancelled the upload');
    controller.abort(reason);

    expect(await pending).toMatchObject({ code: 'ABORTED', cause: reason });
    expect(capture.current.requests).toHaveLength(0);
  });

  it('that never ends: the request deadline ends the call, and nothing is sent', async () => {
    const { quivoFetch, clock } = realPolicy({ maxElapsedMs: 200 });
    const { request, state } = streamingRequest();

    const pending = rejection(quivoFetch(request));
    await until(() => state.pulled, 'the body to be read');
    await clock.advance(200);

    expect(await pending).toMatchObject({ code: 'TIMEOUT' });
    expect(capture.current.requests).toHaveLength(0);
  });

  it('still arriving when a POST attempt times out: nothing was sent, so the retry waits for the same read and posts once', async () => {
    const { quivoFetch, clock, policy } = realPolicy();
    let finish!: () => void;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"sku":'));
        finish = () => {
          controller.enqueue(new TextEncoder().encode('"A-1"}'));
          controller.close();
        };
      },
    });
    const request = new Request(`${capture.current.url}/orders`, { method: 'POST', body, duplex: 'half' } as RequestInit);

    const retries: RetryEvent[] = [];
    policy.onRetry((event) => void retries.push(event));
    const pending = quivoFetch(request, quivoInit({ quivo: { timeoutMs: 300 } }));
    await until(() => clock.pendingDelays()[0] === 300, 'the attempt to read the body under its timeout');
    await clock.advance(300);
    await until(() => clock.pendingDelays().length === 2, 'the retry to be scheduled (its backoff, and the deadline)');
    expect(capture.current.requests).toHaveLength(0);
    expect(retries[0]?.error).toMatchObject({ code: 'TIMEOUT', outcome: 'not-executed', method: 'POST', url: `${capture.current.url}/orders` });
    finish();
    // Only the backoff: the retry's own timeout must not fire while it is on the wire.
    await clock.advance(clock.pendingDelays()[0]!);
    const response = await pending;

    expect(response.status).toBe(200);
    expect(capture.current.requests.map((sent) => `${sent.method} ${sent.body.toString()}`)).toEqual(['POST {"sku":"A-1"}']);
  });

  it('larger than 10 MiB: rejects with REQUEST_TOO_LARGE before anything is sent, and stops reading', async () => {
    const { quivoFetch } = realPolicy();
    const mebibyte = new Uint8Array(1024 * 1024);
    const chunks = Array.from({ length: QUIVO_FETCH_DEFAULTS.maxRequestBodyBytes / mebibyte.byteLength + 5 }, () => mebibyte);
    const { request } = streamingRequest(chunks);

    const error = await rejection(quivoFetch(request));

    expect(error.code).toBe('REQUEST_TOO_LARGE');
    // Refused here, not by the gateway: the request certainly did not run.
    expect(error.outcome).toBe('not-executed');
    expect(error.message).toMatch(/larger than 10485760 bytes/);
    expect(capture.current.requests).toHaveLength(0);
    expect(chunks.length).toBeGreaterThan(0);
  });
});
