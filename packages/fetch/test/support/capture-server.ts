import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as it reached the server: raw body bytes, headers as received. */
export interface CapturedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export interface CaptureServer {
  /** Origin, e.g. `http://127.0.0.1:12345`. */
  readonly url: string;
  readonly requests: CapturedRequest[];
  /** Replies for the next requests, in order; after them every request gets 200 `{"ok":true}`. */
  reply(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

/** A loopback server that records the exact bytes of every request, for byte-identity checks. */
export async function startCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const reply = queue.shift() ?? { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
      res.writeHead(reply.status, reply.headers ?? {});
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    reply: (...replies) => void queue.push(...replies),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * One capture server for a test file: started before its tests, closed after them, and its
 * recorded requests cleared before each test. Read `.current` inside tests.
 */
export function useCaptureServer(): { readonly current: CaptureServer } {
  const holder: { current: CaptureServer | undefined } = { current: undefined };
  beforeAll(async () => {
    holder.current = await startCaptureServer();
  });
  afterAll(() => holder.current?.close());
  beforeEach(() => {
    if (holder.current) holder.current.requests.length = 0;
  });
  return {
    get current(): CaptureServer {
      if (!holder.current) throw new Error('the capture server is not started yet');
      return holder.current;
    },
  };
}
