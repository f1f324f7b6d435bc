import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from './gateway-responses.js';
import type { QuivoSimulator } from './server.js';
import { API_KEY, call, describeResponse, newOrder, startForTest } from './test-helpers.js';

const TOO_LARGE = {
  status: 413,
  type: 'text/plain; charset=utf-8',
  errorType: null,
  body: 'HTTP content length exceeded 10485760 bytes.',
};

/** Sends raw bytes and resolves with everything the server sends back before it closes. */
function rawExchange(sim: QuivoSimulator, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sim.port, '127.0.0.1', () => socket.end(request));
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
  });
}

function streamOf(totalBytes: number, chunkBytes = 1 << 20): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= totalBytes) return controller.close();
      const size = Math.min(chunkBytes, totalBytes - sent);
      sent += size;
      controller.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
}

async function stillServing(sim: QuivoSimulator): Promise<void> {
  expect((await call(sim, 'GET', '/stock', { token: sim.issueToken() })).status).toBe(200);
}

describe('bad input', () => {
  it('answers 413 at once when content-length declares more than 10485760 bytes', async () => {
    const sim = await startForTest();

    const answer = await rawExchange(
      sim,
      `POST /orders HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${API_KEY}\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\nConnection: close\r\n\r\n`,
    );

    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\ncontent-type: text\/plain; charset=utf-8\r\n/);
    expect(answer.endsWith('\r\n\r\nHTTP content length exceeded 10485760 bytes.')).toBe(true);
    await stillServing(sim);
  });

  it('counts streamed bytes: a chunked body of the limit passes, one byte more gets 413', async () => {
    const sim = await startForTest();
    const token = sim.issueToken();
    const order = JSON.stringify(newOrder('BIG-1'));
    const padded = ' '.repeat(MAX_BODY_BYTES - order.length) + order;

    const atLimit = await fetch(`${sim.url}/orders`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, authorization: token },
      body: new Blob([padded]).stream(),
      duplex: 'half',
    } as RequestInit);
    expect(atLimit.status).toBe(201);

    const overLimit = await fetch(`${sim.url}/orders`, {
      method: 'POST',
      headers: { 'x-api-key': API_KEY, authorization: token },
      body: streamOf(MAX_BODY_BYTES + 1),
      duplex: 'half',
    } as RequestInit);
    expect(await describeResponse(overLimit)).toEqual(TOO_LARGE);
    await stillServing(sim);
  });

  it('answers 400 for bytes that are not JSON', async () => {
    const sim = await startForTest();

    const res = await call(sim, 'POST', '/orders', { token: sim.issueToken(), body: '\u0000\uFFFD{]' });

    expect(await describeResponse(res)).toMatchObject({ status: 400, body: '{"message":"Invalid request body"}' });
    await stillServing(sim);
  });

  it('answers 400 for broken percent-encoding and unusable request targets', async () => {
    const sim = await startForTest();
    const token = sim.issueToken();

    expect(await describeResponse(await call(sim, 'GET', '/orders/%E0%A4%A', { token }))).toEqual({
      status: 400,
      type: 'application/json',
      errorType: 'BadRequestException',
      body: '{"message":"Bad Request"}',
    });
    const absolute = await rawExchange(sim, 'GET http://[::1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    expect(absolute).toMatch(/^HTTP\/1\.1 400 /);
    const garbage = await rawExchange(sim, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    await stillServing(sim);
  });

  it('survives a client that hangs up in the middle of a body', async () => {
    const sim = await startForTest();
    const socket = connect(sim.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write(`POST /orders HTTP/1.1\r\nHost: localhost\r\nx-api-key: ${API_KEY}\r\nContent-Length: 100\r\n\r\n{"posi`);
    await expect.poll(() => sim.stats().inFlight).toBe(1);

    socket.destroy();

    await expect.poll(() => sim.stats().inFlight).toBe(0);
    await stillServing(sim);
  });

  it('turns a failing handler into a 500 JSON answer', async () => {
    const sim = await startForTest({
      sleep: () => Promise.reject(new Error('boom')),
      faults: [{ fault: 'latency' }],
    });

    const res = await call(sim, 'GET', '/stock', { token: sim.issueToken() });

    expect(await describeResponse(res)).toEqual({
      status: 500,
      type: 'application/json',
      errorType: 'InternalServerErrorException',
      body: '{"message":"Internal server error"}',
    });
    await stillServing(sim);
  });
});
