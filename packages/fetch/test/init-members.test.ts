import { describe, expect, it } from 'vitest';
import { createQuivoFetch } from '../src/index.js';
import { useCaptureServer } from './support/capture-server.js';
import { createTestClock } from './support/test-clock.js';

const capture = useCaptureServer();

/** fetch reads an init's members with [[Get]]: inherited ones, getters and non-enumerable ones count. */
class OrderInit {
  constructor(readonly body: string) {}
  get method(): string {
    return 'POST';
  }
  get headers(): Record<string, string> {
    return { 'content-type': 'application/json', 'x-trace': 't-1' };
  }
}

const inits: Record<string, () => RequestInit> = {
  'inherited from a defaults object': () => Object.assign(Object.create({ method: 'POST', headers: { 'content-type': 'application/json', 'x-trace': 't-1' } }) as RequestInit, { body: '{"a":1}' }),
  'getters of a class': () => new OrderInit('{"a":1}') as unknown as RequestInit,
  'not enumerable': () =>
    Object.defineProperties({ body: '{"a":1}' } as RequestInit, {
      method: { value: 'POST', enumerable: false },
      headers: { value: { 'content-type': 'application/json', 'x-trace': 't-1' }, enumerable: false },
    }),
};

describe('init members that are not own enumerable properties', () => {
  const quivoFetch = () => createQuivoFetch({ baseURL: capture.current.url, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() });

  for (const [name, make] of Object.entries(inits)) {
    it(`sends the method, headers and body of an init whose members are ${name}`, async () => {
      expect((await quivoFetch()(`${capture.current.url}/orders`, make())).status).toBe(200);
      const [sent] = capture.current.requests;
      expect([sent?.method, sent?.headers['x-trace'], sent?.body.toString()]).toEqual(['POST', 't-1', '{"a":1}']);
    });
  }

  it('sends an inherited DELETE as a DELETE, with its inherited headers', async () => {
    await quivoFetch()(`${capture.current.url}/orders/42`, Object.create({ method: 'DELETE', headers: { 'if-match': 'v7' } }) as RequestInit);
    const [sent] = capture.current.requests;
    expect([sent?.method, sent?.headers['if-match'], sent?.headers['x-api-key']]).toEqual(['DELETE', 'v7', 'key-123456']);
  });

  it('follows an inherited signal: an aborted one sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const init = Object.create({ signal: controller.signal }) as RequestInit;
    await expect(quivoFetch()(`${capture.current.url}/stock`, init)).rejects.toMatchObject({ code: 'ABORTED' });
    expect(capture.current.requests).toEqual([]);
  });

  it('takes a Request member it cannot carry itself (an inherited cache mode) to the runtime Request', async () => {
    const init = Object.assign(Object.create({ cache: 'no-store', method: 'PUT' }) as RequestInit, { body: new Blob(['blob-body']) });
    await quivoFetch()(`${capture.current.url}/orders/7`, init);
    const [sent] = capture.current.requests;
    expect([sent?.method, sent?.body.toString()]).toEqual(['PUT', 'blob-body']);
  });

  it('hands an inherited dispatcher to the underlying fetch with each attempt', async () => {
    const dispatcher = { name: 'my-dispatcher' };
    const seen: unknown[] = [];
    const underlying: typeof fetch = (input, init) => {
      seen.push((init as { dispatcher?: unknown } | undefined)?.dispatcher);
      return fetch(input, { ...init, dispatcher: undefined } as RequestInit);
    };
    const wrapped = createQuivoFetch({ baseURL: capture.current.url, apiKey: 'key-123456', rateLimit: false, clock: createTestClock() }, { fetch: underlying });
    await wrapped(`${capture.current.url}/stock`, Object.create({ dispatcher, method: 'GET' }) as RequestInit);
    await wrapped(new Request(`${capture.current.url}/stock`), Object.create({ dispatcher }) as RequestInit);
    expect(seen).toEqual([dispatcher, dispatcher]);
  });
});
