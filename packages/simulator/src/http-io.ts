import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './gateway-responses.js';
import type { Reply } from './reply.js';

/** Ids API Gateway puts on every answer. */
export interface ResponseIds {
  readonly requestId: string;
  readonly apigwId: string;
}

export function writeReply(res: ServerResponse, reply: Reply, ids: ResponseIds): void {
  const headers: Record<string, string | number> = {
    'x-amzn-RequestId': ids.requestId,
    'x-amz-apigw-id': ids.apigwId,
  };
  if (reply.contentType !== undefined) headers['content-type'] = reply.contentType;
  const body = reply.body ?? '';
  if (reply.status !== 204) headers['content-length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  if (reply.errorType !== undefined) headers['x-amzn-ErrorType'] = reply.errorType;
  if (reply.retryAfterSeconds !== undefined) headers['retry-after'] = reply.retryAfterSeconds;
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : body);
}

/** The request target split into a path and a raw query, or null when it is not a usable URL. */
export function parseTarget(url: string | undefined): { path: string; query: string } | null {
  if (url === undefined || url === '') return null;
  let target = url;
  if (!target.startsWith('/')) {
    // Absolute form (`GET http://host/orders`), which HTTP/1.1 servers must accept.
    try {
      const parsed = new URL(target);
      target = `${parsed.pathname}${parsed.search}`;
    } catch {
      return null;
    }
  }
  const queryAt = target.indexOf('?');
  return queryAt === -1
    ? { path: target, query: '' }
    : { path: target.slice(0, queryAt), query: target.slice(queryAt + 1) };
}

export function declaresBodyTooLarge(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > MAX_BODY_BYTES;
}

export function hasBody(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  return (declared !== undefined && declared !== '0') || req.headers['transfer-encoding'] !== undefined;
}

export const BODY_TOO_LARGE = Symbol('body too large');

/**
 * Reads the body, counting bytes as they stream in: past the limit it stops collecting and
 * resolves BODY_TOO_LARGE. Rejects when the client goes away before the end.
 */
export function readBody(req: IncomingMessage): Promise<Buffer | typeof BODY_TOO_LARGE> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanUp = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received > MAX_BODY_BYTES) {
        cleanUp();
        chunks.length = 0;
        resolve(BODY_TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanUp();
      resolve(chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onClose = (): void => {
      cleanUp();
      reject(new Error('The client closed the connection before the request body ended.'));
    };
    const onError = (error: Error): void => {
      cleanUp();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onError);
  });
}

/**
 * After a 413, throws away what the client still sends (so it can read the answer instead of
 * meeting a reset), but only up to another `MAX_BODY_BYTES`; past that the socket is destroyed.
 */
export function discardRestOfBody(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_BODY_BYTES) req.socket.destroy();
  });
  req.on('error', () => {});
  req.resume();
}
