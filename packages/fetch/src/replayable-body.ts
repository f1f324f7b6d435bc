import { QuivoError, raceAbort } from '@quivo-resilience/core';

/** The reason given when a request's body can be sent only once. */
export const STREAM_BODY_REASON = 'request body is a stream';

/**
 * Why `body` can be sent only once, or undefined when it can be serialised and replayed.
 * A stream (and the async iterables Node's fetch also accepts) is consumed by its first send.
 * Duck-typed, so streams from another realm or a polyfill count too.
 */
export function oneShotBodyReason(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  if (typeof (body as { getReader?: unknown }).getReader === 'function') return STREAM_BODY_REASON;
  if (Symbol.asyncIterator in body) return STREAM_BODY_REASON;
  return undefined;
}

/** The bytes every attempt of one call sends. */
export interface ReplayBody {
  /** The body's bytes (undefined: no body), waiting for them no longer than `signal` allows. */
  bytes(signal: AbortSignal): Promise<Uint8Array<ArrayBuffer> | undefined>;
  /** The call is over: stops a read that is still running. */
  release(): void;
}

/**
 * Reads a request's body to bytes now. Every attempt then sends these bytes, so a replay is
 * byte-identical whatever the body was: a FormData keeps its first multipart boundary, a
 * URLSearchParams or Uint8Array the caller changes later is not re-read. The request's headers
 * already carry the content type the runtime gave the body (boundary included). For bodies the
 * caller handed over as values (string, buffer, Blob, FormData...): nothing there can block.
 */
export function readBodyNow(request: Request): ReplayBody | Promise<ReplayBody> {
  if (request.body === null) return NO_BODY;
  return request.arrayBuffer().then((buffer) => {
    const bytes = new Uint8Array(buffer);
    return { bytes: () => Promise.resolve(bytes), release: () => {} };
  });
}

const NO_BODY: ReplayBody = Object.freeze({ bytes: () => Promise.resolve(undefined), release: () => {} });

/**
 * A `Request` input's body, which may be a stream of any length and speed: nothing tells it
 * from a string body once it is in a Request. It is read while the first attempt runs, so the
 * caller's abort, the per-attempt timeout and the deadline all stop the wait, and at most
 * `maxBytes` are held: a larger body rejects with `REQUEST_TOO_LARGE` before anything is sent
 * (API Gateway refuses a payload over 10 MiB anyway). The read goes on across attempts, so a
 * retry after a timeout waits for the same bytes instead of meeting a half-read stream.
 */
export function readBodyWhenSent(request: Request, maxBytes: number, context: { method: string; url: string }): ReplayBody {
  let reading: Promise<Uint8Array<ArrayBuffer> | undefined> | undefined;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let settled = false;

  async function readAll(): Promise<Uint8Array<ArrayBuffer> | undefined> {
    if (request.body === null) return undefined;
    reader = request.body.getReader();
    const chunks: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxBytes) {
        reader.cancel().catch(() => undefined);
        throw new QuivoError({
          code: 'REQUEST_TOO_LARGE',
          source: 'client',
          outcome: 'not-executed',
          method: context.method,
          url: context.url,
          message: `the request body is larger than ${maxBytes} bytes, the most a replayable body may hold (API Gateway refuses more); nothing was sent. To send a larger body once, pass a stream as init.body`,
        });
      }
      chunks.push(value);
    }
    const bytes = new Uint8Array(length);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }

  return {
    bytes(signal) {
      if (reading === undefined) {
        reading = readAll().finally(() => (settled = true));
        // Also observed when no attempt is waiting for it any more (the attempt was aborted).
        reading.catch(() => undefined);
      }
      return raceAbort(reading, signal);
    },
    release() {
      if (!settled) reader?.cancel().catch(() => undefined);
    },
  };
}
