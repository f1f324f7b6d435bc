import { createServer } from 'node:net';
import axios, { AxiosError, CanceledError } from 'axios';
import { describe, expect, it } from 'vitest';
import { QuivoError } from './quivo-error.js';
import { toQuivoError } from './to-quivo-error.js';

/** A Node system error as `net`/`dns` create it. */
const systemError = (code: string, syscall: string, message = `${syscall} ${code}`): Error => Object.assign(new Error(message), { code, errno: -1, syscall });
/** An undici error: a named Error subclass with a `UND_ERR_*` code. */
const undiciError = (name: string, code: string, message: string): Error => Object.assign(new Error(message), { name, code });

const classify = (cause: unknown, method = 'POST') => toQuivoError({ cause, method, url: 'https://api.quivo.com/orders' });

/** A port nothing listens on, so a real connection is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('toQuivoError: errors thrown instead of a response', () => {
  it.each([
    ['ECONNREFUSED', 'not-executed', true, systemError('ECONNREFUSED', 'connect')],
    ['ENOTFOUND', 'not-executed', true, systemError('ENOTFOUND', 'getaddrinfo')],
    ['EAI_AGAIN', 'not-executed', true, systemError('EAI_AGAIN', 'getaddrinfo')],
    ['UND_ERR_CONNECT_TIMEOUT', 'not-executed', true, undiciError('ConnectTimeoutError', 'UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')],
    ['ETIMEDOUT on connect', 'not-executed', true, systemError('ETIMEDOUT', 'connect')],
    ['EHOSTUNREACH on connect', 'not-executed', true, systemError('EHOSTUNREACH', 'connect')],
    ['ENETUNREACH on connect', 'not-executed', true, systemError('ENETUNREACH', 'connect')],
    ['ECONNRESET', 'unknown', false, systemError('ECONNRESET', 'read')],
    ['EPIPE', 'unknown', false, systemError('EPIPE', 'write')],
    ['ETIMEDOUT on read', 'unknown', false, systemError('ETIMEDOUT', 'read')],
    ['ECONNABORTED from Node', 'unknown', false, systemError('ECONNABORTED', 'read')],
    ['UND_ERR_SOCKET', 'unknown', false, undiciError('SocketError', 'UND_ERR_SOCKET', 'other side closed')],
    ['UND_ERR_CLOSED', 'unknown', false, undiciError('ClientClosedError', 'UND_ERR_CLOSED', 'The client is closed')],
  ] as const)('%s is NETWORK, outcome %s; a POST is retryable: %s', (_name, outcome, postRetryable, cause) => {
    const post = classify(cause, 'POST');
    expect(post).toMatchObject({ code: 'NETWORK', source: 'network', outcome, transient: true, retryable: postRetryable });
    expect(post.cause).toBe(cause);
    expect(classify(cause, 'GET').retryable).toBe(true);
  });

  it('looks through fetch\'s TypeError to the system error and names both', () => {
    const error = classify(new TypeError('fetch failed', { cause: systemError('ECONNREFUSED', 'connect', 'connect ECONNREFUSED 127.0.0.1:443') }));
    expect(error).toMatchObject({ code: 'NETWORK', outcome: 'not-executed', retryable: true, message: 'fetch failed: connect ECONNREFUSED 127.0.0.1:443' });
  });

  it('looks into AggregateError.errors (Node trying IPv4 and IPv6)', () => {
    const aggregate = new AggregateError([systemError('ECONNREFUSED', 'connect'), systemError('ECONNREFUSED', 'connect')], '');
    expect(classify(new TypeError('fetch failed', { cause: aggregate }))).toMatchObject({ code: 'NETWORK', outcome: 'not-executed' });
  });

  it('classifies a real refused fetch', async () => {
    const port = await closedPort();
    const thrown = await fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST' }).catch((error: unknown) => error);
    expect(classify(thrown)).toMatchObject({ code: 'NETWORK', outcome: 'not-executed', retryable: true });
  });

  it('classifies a real refused axios request', async () => {
    const port = await closedPort();
    const thrown = await axios.post(`http://127.0.0.1:${port}/orders`, {}).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(AxiosError);
    expect(classify(thrown)).toMatchObject({ code: 'NETWORK', outcome: 'not-executed' });
  });

  it('an unrecognised fetch failure is NETWORK with an unknown outcome', () => {
    expect(classify(new TypeError('Failed to fetch'))).toMatchObject({ code: 'NETWORK', outcome: 'unknown', retryable: false });
    expect(classify(new TypeError('fetch failed', { cause: new Error('bad port') })).message).toBe('fetch failed: bad port');
  });

  it('undici header and body timeouts are TIMEOUT', () => {
    for (const cause of [
      undiciError('HeadersTimeoutError', 'UND_ERR_HEADERS_TIMEOUT', 'Headers Timeout Error'),
      new TypeError('fetch failed', { cause: undiciError('BodyTimeoutError', 'UND_ERR_BODY_TIMEOUT', 'Body Timeout Error') }),
    ]) {
      expect(classify(cause, 'GET')).toMatchObject({ code: 'TIMEOUT', source: 'client', outcome: 'unknown', transient: true, retryable: true });
      expect(classify(cause, 'POST').retryable).toBe(false);
    }
  });

  it('AbortError and TimeoutError DOMExceptions', () => {
    expect(classify(new DOMException('This operation was aborted', 'AbortError'), 'GET')).toMatchObject({ code: 'ABORTED', source: 'client', retryable: false, message: 'This operation was aborted' });
    expect(classify(new DOMException('The operation was aborted due to timeout', 'TimeoutError'), 'GET')).toMatchObject({ code: 'TIMEOUT', source: 'client', retryable: true });
  });

  it('a real aborted fetch and a real fetch timeout', async () => {
    const aborted = await fetch('http://127.0.0.1:1/', { signal: AbortSignal.abort() }).catch((error: unknown) => error);
    expect(classify(aborted).code).toBe('ABORTED');
    // A server that accepts and never answers, so only the timeout can end the request.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const timedOut = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(20) }).catch((error: unknown) => error);
      expect(classify(timedOut, 'GET')).toMatchObject({ code: 'TIMEOUT', retryable: true });
    } finally {
      silent.close();
      silent.unref();
    }
  });

  it('axios: timeout (ECONNABORTED or ETIMEDOUT), cancel, ERR_NETWORK', () => {
    expect(classify(new AxiosError('timeout of 1000ms exceeded', 'ECONNABORTED'), 'GET')).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(classify(new AxiosError('timeout of 1000ms exceeded', 'ETIMEDOUT')).code).toBe('TIMEOUT');
    expect(classify(new CanceledError()).code).toBe('ABORTED');
    expect(classify({ isAxiosError: true, code: 'ERR_CANCELED', name: 'CanceledError', message: 'canceled' }).code).toBe('ABORTED');
    expect(classify(new AxiosError('Network Error', 'ERR_NETWORK'))).toMatchObject({ code: 'NETWORK', outcome: 'unknown' });
    expect(classify({ isAxiosError: true, code: 'ECONNABORTED', message: 'Request aborted' }).code).toBe('NETWORK');
  });

  it('a certificate error is NETWORK but not transient', () => {
    const cause = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
    expect(classify(cause, 'GET')).toMatchObject({ code: 'NETWORK', transient: false, retryable: false, outcome: 'not-executed' });
  });

  it('an abort wins over the socket error it caused', () => {
    const abort = new DOMException('aborted', 'AbortError');
    (abort as { cause?: unknown }).cause = systemError('ECONNRESET', 'read');
    expect(classify(abort).code).toBe('ABORTED');
  });

  it('survives cyclic and deep cause chains', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(classify(a)).toMatchObject({ code: 'HTTP_ERROR', source: 'client' });
    let deep: Error = systemError('ECONNRESET', 'read');
    for (let i = 0; i < 50; i++) deep = new Error(`wrap ${i}`, { cause: deep });
    expect(classify(deep).code).toBe('HTTP_ERROR');
  });

  it('an unknown Error is HTTP_ERROR from the client, never retried', () => {
    const cause = new RangeError('Invalid array length');
    expect(classify(cause, 'GET')).toMatchObject({ code: 'HTTP_ERROR', source: 'client', outcome: 'unknown', transient: false, retryable: false, message: 'Invalid array length' });
  });

  it('wraps what is not an Error once, keeping it as the cause', () => {
    expect(classify('socket hang up')).toMatchObject({ code: 'HTTP_ERROR', message: 'socket hang up', cause: 'socket hang up' });
    expect(classify(42).message).toBe('Non-error value thrown: 42');
    expect(classify(null).message).toBe('Non-error value thrown: null');
    const plain = { reason: 'x' };
    expect(classify(plain)).toMatchObject({ message: 'Non-error value thrown: object', cause: plain });
    expect(classify({ code: 'ECONNRESET', message: 'read ECONNRESET' }).code).toBe('NETWORK');
  });

  it('returns a QuivoError cause as it is, filling method and url it lacked', () => {
    const original = new QuivoError({ code: 'AUTH_FAILED', message: 'login failed' });
    const filled = toQuivoError({ cause: original, method: 'get', url: 'https://api.quivo.com/orders?token=abc123' });
    expect(filled).toMatchObject({ code: 'AUTH_FAILED', method: 'GET', url: 'https://api.quivo.com/orders?token=[REDACTED]' });
    const complete = new QuivoError({ code: 'TIMEOUT', message: 'slow', method: 'GET', url: 'https://api.quivo.com/a' });
    expect(toQuivoError({ cause: complete, method: 'POST', url: 'https://x' })).toBe(complete);
  });

  it('accepts an error passed directly instead of an input object', () => {
    const cause = systemError('ECONNRESET', 'read');
    expect(toQuivoError(cause as never)).toMatchObject({ code: 'NETWORK', cause });
  });

  it('reads status and body from an axios-like cause when none are given', () => {
    const cause = { isAxiosError: true, message: 'Request failed with status code 429', response: { status: 429, headers: { 'x-amzn-errortype': 'LimitExceededException' }, data: { message: 'Limit Exceeded' } } };
    expect(toQuivoError({ cause })).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429, message: 'Limit Exceeded', cause });
  });
});
