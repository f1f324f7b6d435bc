import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as it arrived on the wire. */
export interface ReceivedRequest {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Responder = (request: ReceivedRequest) => Reply | Promise<Reply>;

export interface RecordingServer {
  readonly url: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that records the raw bytes and headers of every request and answers
 * through `respond`. Real I/O, so what it records is what the adapter actually sent.
 */
export async function startRecordingServer(respond: Responder): Promise<RecordingServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        index: received.length,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      received.push(request);
      Promise.resolve(respond(request)).then(
        (reply) => {
          const isText = typeof reply.body === 'string' || reply.body === undefined;
          const payload = reply.body === undefined ? '' : isText ? String(reply.body) : JSON.stringify(reply.body);
          const headers = { 'content-type': isText ? 'text/plain' : 'application/json', ...reply.headers };
          res.writeHead(reply.status, headers).end(payload);
        },
        () => res.destroy(),
      );
    });
  });
  // A keep-alive socket left open would hold close() until its timeout.
  server.keepAliveTimeout = 1;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** API Gateway's answers, as Quivo sends them. */
export const gateway = {
  ok: (body: unknown = { ok: true }): Reply => ({ status: 200, body }),
  expired: (): Reply => ({ status: 401, headers: { 'x-amzn-ErrorType': 'UnauthorizedException' }, body: { message: 'The incoming token has expired' } }),
  throttled: (headers: Record<string, string> = {}): Reply => ({ status: 429, headers: { 'x-amzn-ErrorType': 'TooManyRequestsException', ...headers }, body: { message: 'Too Many Requests' } }),
  timeout504: (): Reply => ({ status: 504, body: { message: 'Endpoint request timed out' } }),
  unavailable: (): Reply => ({ status: 503, body: { message: 'Service Unavailable' } }),
};
