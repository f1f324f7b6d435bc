import { Readable } from 'node:stream';
import { createQuivoPolicy, isQuivoError } from '@quivo-resilience/core';
import axios, { type AxiosInstance } from 'axios';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachQuivo } from '../src/index.js';
import { gateway, startRecordingServer, type ReceivedRequest, type RecordingServer } from './helpers/recording-server.js';
import { virtualClock } from './helpers/virtual-clock.js';

// Every body type, sent twice (503, then a replay), must reach the server as the same bytes
// with the same Content-Type: no double JSON encoding, no fresh multipart boundary.
let server: RecordingServer;

beforeAll(async () => {
  // The first request to each path fails, so each body is sent exactly twice.
  const seen = new Set<string>();
  server = await startRecordingServer((request) => {
    if (seen.has(request.path)) return gateway.ok();
    seen.add(request.path);
    return gateway.unavailable();
  });
});
afterAll(() => server.close());

function quivoInstance(adapter: 'http' | 'fetch'): AxiosInstance {
  const policy = createQuivoPolicy({ baseURL: server.url, apiKey: 'api-key-1', rateLimit: false, clock: virtualClock() });
  const instance = axios.create({ baseURL: server.url, adapter });
  attachQuivo(instance, policy);
  return instance;
}

function attemptsAt(path: string): ReceivedRequest[] {
  return server.received.filter((request) => request.path === path);
}

function makeForm(): FormData {
  const form = new FormData();
  form.append('note', 'fragile');
  form.append('label', new Blob(['%PDF-1.7 label'], { type: 'application/pdf' }), 'label.pdf');
  return form;
}

const bodies: Array<{ name: string; make: () => unknown; expected?: string }> = [
  { name: 'object', make: () => ({ orderIdentifier: 'A-1', positions: [{ sku: 'S-1', quantity: 2 }] }), expected: '{"orderIdentifier":"A-1","positions":[{"sku":"S-1","quantity":2}]}' },
  { name: 'string', make: () => 'plain text, as is', expected: 'plain text, as is' },
  { name: 'json-string', make: () => '{"already":"json"}', expected: '{"already":"json"}' },
  { name: 'url-search-params', make: () => new URLSearchParams({ sku: 'S 1', quantity: '2' }), expected: 'sku=S+1&quantity=2' },
  { name: 'form-data', make: makeForm },
  { name: 'buffer', make: () => Buffer.from([0, 1, 2, 250, 255]) },
  { name: 'array-buffer', make: () => new Uint8Array([9, 8, 7]).buffer },
  { name: 'uint8-array', make: () => new Uint8Array([1, 2, 3, 4]) },
  { name: 'float32-array', make: () => new Float32Array([1.5, -2.25]) },
  { name: 'blob', make: () => new Blob(['blob bytes'], { type: 'application/octet-stream' }) },
];

describe.each(['http', 'fetch'] as const)('with the %s adapter', (adapter) => {
  it.each(bodies)('replays a $name body byte for byte', async ({ name, make, expected }) => {
    const instance = quivoInstance(adapter);
    const path = `/${adapter}/${name}`;

    const response = await instance.put(path, make());

    expect(response.status).toBe(200);
    const [first, second, ...more] = attemptsAt(path);
    expect(more).toHaveLength(0);
    expect(first?.body.length).toBeGreaterThan(0);
    expect(second?.body.equals(first?.body ?? Buffer.alloc(0))).toBe(true);
    expect(second?.headers['content-type']).toBe(first?.headers['content-type']);
    expect(second?.headers['x-api-key']).toBe('api-key-1');
    if (expected !== undefined) expect(first?.body.toString()).toBe(expected);
  });

  it('sends a multipart body the server can split by its own Content-Type', async () => {
    const instance = quivoInstance(adapter);
    const path = `/${adapter}/form-check`;

    await instance.put(path, makeForm());

    const [, second] = attemptsAt(path);
    const boundary = /boundary=([^;]+)/.exec(second?.headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    const text = second?.body.toString() ?? '';
    expect(text).toContain(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nfragile\r\n`);
    expect(text).toContain('%PDF-1.7 label');
    expect(text.trimEnd().endsWith(`--${boundary}--`)).toBe(true);
  });
});

describe('a stream body', () => {
  it('gets one attempt, and the error says why there was no retry', async () => {
    const instance = quivoInstance('http');
    const path = '/http/stream';

    const error: unknown = await instance.put(path, Readable.from(['line 1\n', 'line 2\n'])).catch((thrown: unknown) => thrown);

    expect(attemptsAt(path)).toHaveLength(1);
    expect(attemptsAt(path)[0]?.body.toString()).toBe('line 1\nline 2\n');
    expect(isQuivoError(error) && error.code).toBe('SERVICE_UNAVAILABLE');
    expect(isQuivoError(error) && error.trail.at(-1)?.reason).toBe('no retry: request body is a stream');
  });
});
